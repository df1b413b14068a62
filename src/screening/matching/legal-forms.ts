/**
 * Legal forms (LLC, ООО, ТОО, JSC, GmbH ...) say what kind of company it is, not which one: two companies that
 * differ only by their legal form are the same name for screening, and "OOO Romashka" must not match
 * "OOO Vasilek" because both are OOOs. They are removed before scoring and reported in the explanation.
 * Phrases are compared by fold (fold.ts), so "obshchestvo" and "obschestvo" are one phrase.
 */
import { foldToken } from './fold';
import { normalizeName, tokenizeNormalized } from './normalize';

/** Removed wherever they stand: long phrases and tokens that are never part of a company's own name. */
const ANYWHERE = [
  'limited liability company',
  'limited liability partnership',
  'limited liability co',
  'limited partnership',
  'joint stock company',
  'open joint stock company',
  'closed joint stock company',
  'public joint stock company',
  'private joint stock company',
  'public limited company',
  'private limited company',
  'company limited',
  'co ltd',
  'pvt ltd',
  'pte ltd',
  'pty ltd',
  'sdn bhd',
  'gmbh co kg',
  'co kg',
  'sp z o o',
  'l l c',
  's a r l',
  's r l',
  's r o',
  's p a',
  'o o o',
  's a',
  's a de c v',
  'sa de cv',
  's a de cv',
  'sa de c v',
  's de r l de c v',
  's de rl de cv',
  's de r l',
  's en c',
  's en c s',
  'ltda',
  'cia ltda',
  'sapi de cv',
  // Russian
  'obshchestvo s ogranichennoy otvetstvennostyu',
  'aktsionernoe obshchestvo',
  'otkrytoe aktsionernoe obshchestvo',
  'zakrytoe aktsionernoe obshchestvo',
  'publichnoe aktsionernoe obshchestvo',
  'nepublichnoe aktsionernoe obshchestvo',
  'tovarishchestvo s ogranichennoy otvetstvennostyu',
  'individualnyy predprinimatel',
  'avtonomnaya nekommercheskaya organizatsiya',
  'nekommercheskoe partnerstvo',
  'federalnoe gosudarstvennoe unitarnoe predpriyatie',
  'gosudarstvennoe unitarnoe predpriyatie',
  'munitsipalnoe unitarnoe predpriyatie',
  'autonomous non profit organization',
  'non profit partnership',
  // Ukrainian
  'tovarystvo z obmezhenoyu vidpovidalnistyu',
  'aktsionerne tovarystvo',
  'pryvatne aktsionerne tovarystvo',
  'publichne aktsionerne tovarystvo',
  'dochirnie pidpryiemstvo',
  // Belarusian
  'tavarystva z abmezhavanay adkaznastsyu',
  'aktsyyanernae tavarystva',
  'adkrytae aktsyyanernae tavarystva',
  // Kazakh
  'zhauapkershiligi shekteuli seriktestik',
  'aktsionerlik kogam',
  // other languages seen in EU and OpenSanctions name variants
  'sociedad de responsabilidad limitada',
  'societe a responsabilite limitee',
  'societatea cu raspundere limitata',
  'sociedade de responsabilidade limitada',
  'spolecnost s rucenim omezenym',
  'korlatolt felelossegu tarsasag',
  'druzba z omejeno odgovornostjo',
  'sociedad anonima',
  'societe anonyme',
  'an chuideachta theoranta',
  'cuideachta faoi dhliteanas teoranta',
  'druzhestvo s ogranichena otgovornost',
  'etairia periorismenis evthinis',
  // single tokens
  'llc',
  'ltd',
  'gmbh',
  'jsc',
  'ojsc',
  'cjsc',
  'pjsc',
  'ooo',
  'oao',
  'zao',
  'pao',
  'llp',
  'plc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'limited',
  'srl',
  'sarl',
  'sro',
  'bhd',
  'pte',
  'pvt',
  'pty',
  'kft',
  'zrt',
  'fzco',
  'fze',
  'fzc',
  'fzllc',
  'zhshs',
  'tov',
  'rab',
];

/** Removed only at the start of a name (Russian/Kazakh style "ТОО Ромашка", "ИП Иванов"). */
const START_ONLY = ['ip', 'too', 'ao', 'ak', 'chp', 'ano', 'kompaniya', 'firma'];

/** Removed only at the end (Western style "Nordic AS", "Foo AG"): short words that can also be part of a name. */
const END_ONLY = [
  'sa',
  'as',
  'ab',
  'ag',
  'kg',
  'bv',
  'nv',
  'oy',
  'spa',
  'cia',
  'ad',
  'ood',
  'eood',
  'doo',
  'dd',
  'se',
  'lp',
  'oyj',
  'aps',
  'a s',
  'b v',
  'n v',
  'de c v',
  'de cv',
  'de r l',
];

/** Removed at either end. */
const EDGE = ['co', 'company', 'the'];

/** Words that qualify the legal form right after them ("CLOSED JSC", "PUBLIC JSC") and go with it. */
const QUALIFIERS = new Set(
  ['open', 'closed', 'public', 'private', 'otkrytoe', 'zakrytoe', 'publichnoe'].map(foldToken),
);

interface Phrase {
  folds: string[];
}

function compile(list: string[]): Phrase[] {
  return list
    .map((p) => ({ folds: tokenizeNormalized(normalizeName(p)).map(foldToken) }))
    .sort((a, b) => b.folds.length - a.folds.length);
}

const ANYWHERE_PHRASES = compile(ANYWHERE);
const START_PHRASES = compile([...ANYWHERE, ...EDGE, ...START_ONLY]);
const END_PHRASES = compile([...ANYWHERE, ...EDGE, ...END_ONLY]);
/**
 * Every fold any phrase is made of: a name with none of them has no legal form, and most names are like that (a
 * 5,000,000-name build asks about every one of them, and trying each phrase at both ends costs more than the rest).
 */
const PHRASE_FOLDS = new Set([...START_PHRASES, ...END_PHRASES].flatMap((p) => p.folds));

/** False when no legal-form phrase uses this fold: a name with only such folds has no legal form. */
export function isLegalFormFold(fold: string): boolean {
  return PHRASE_FOLDS.has(fold);
}

function matchesAt(folds: readonly string[], at: number, end: number, p: Phrase): boolean {
  if (at + p.folds.length > end) return false;
  for (let k = 0; k < p.folds.length; k++) if (folds[at + k] !== p.folds[k]) return false;
  return true;
}

function matchesEndingAt(folds: readonly string[], start: number, endExclusive: number, p: Phrase): boolean {
  const at = endExclusive - p.folds.length;
  return at >= start && matchesAt(folds, at, endExclusive, p);
}

/**
 * Which tokens (by index) are legal forms. Never marks every token: a name that is nothing but a legal form
 * ("Limited") is kept whole, since that is all there is to match on.
 */
export function legalFormMask(folds: readonly string[]): boolean[] {
  const mask = new Array<boolean>(folds.length).fill(false);
  let anyPhraseFold = false;
  for (let i = 0; i < folds.length && !anyPhraseFold; i++) anyPhraseFold = PHRASE_FOLDS.has(folds[i]);
  if (!anyPhraseFold) return mask;
  let start = 0;
  let end = folds.length;
  let changed = true;
  while (changed && start < end) {
    changed = false;
    for (const p of START_PHRASES) {
      if (matchesAt(folds, start, end, p) && end - start > p.folds.length) {
        for (let k = 0; k < p.folds.length; k++) mask[start + k] = true;
        start += p.folds.length;
        changed = true;
        break;
      }
    }
    for (const p of END_PHRASES) {
      if (matchesEndingAt(folds, start, end, p) && end - start > p.folds.length) {
        for (let k = 1; k <= p.folds.length; k++) mask[end - k] = true;
        end -= p.folds.length;
        changed = true;
        break;
      }
    }
  }
  for (let i = start; i < end; i++) {
    for (const p of ANYWHERE_PHRASES) {
      if (!matchesAt(folds, i, end, p)) continue;
      const kept = countUnmasked(mask) - p.folds.length;
      if (kept < 1) break;
      for (let k = 0; k < p.folds.length; k++) mask[i + k] = true;
      i += p.folds.length - 1;
      break;
    }
  }
  for (let i = folds.length - 2; i >= 0; i--) {
    if (!mask[i] && mask[i + 1] && QUALIFIERS.has(folds[i]) && countUnmasked(mask) > 1) mask[i] = true;
  }
  return mask;
}

function countUnmasked(mask: readonly boolean[]): number {
  let n = 0;
  for (const m of mask) if (!m) n++;
  return n;
}

/** Groups adjacent masked tokens back into the phrases a reviewer reads ("limited liability company"). */
export function maskedPhrases(tokens: readonly string[], mask: readonly boolean[]): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (mask[i]) cur.push(tokens[i]);
    else if (cur.length > 0) {
      out.push(cur.join(' '));
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur.join(' '));
  return out;
}

/** The normalised name without its legal forms, and the legal forms found. */
export function stripLegalForms(name: string): { name: string; legalForms: string[] } {
  const tokens = tokenizeNormalized(normalizeName(name));
  const mask = legalFormMask(tokens.map(foldToken));
  return {
    name: tokens.filter((_, i) => !mask[i]).join(' '),
    legalForms: maskedPhrases(tokens, mask),
  };
}
