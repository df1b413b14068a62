/**
 * Rule-based name variants for benchmarks and the labelled quality set. Written independently of the engine
 * (no import from src/screening): a variant is what a clerk or another list would plausibly write, not what
 * the matcher happens to accept.
 */

/** Deterministic PRNG (mulberry32) so every generated set is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

export function words(name: string): string[] {
  return name.split(/[\s,]+/).filter((w) => w.length > 0);
}

/** "SURNAME, Given Middle" -> "Given Middle SURNAME"; other names: the last word moves to the front. */
export function swapOrder(name: string): string {
  const comma = name.indexOf(',');
  if (comma > 0) return `${name.slice(comma + 1).trim()} ${name.slice(0, comma).trim()}`;
  const w = words(name);
  if (w.length < 2) return name;
  return [w[w.length - 1], ...w.slice(0, -1)].join(' ');
}

const PATRONYMIC = /^[A-Za-z]+(ovich|evich|ovych|evych|ovna|evna|ivna|ichna|yich|ich)$/i;

/**
 * Positions of patronymics: in "SURNAME, Given Patronymic" only after the comma, otherwise only between the first
 * and the last word - surnames end in -vich too (ABRAMOVICH, RUSAKEVICH).
 */
function patronymicPositions(name: string): Set<number> {
  const comma = name.indexOf(',');
  const w = words(name);
  const out = new Set<number>();
  const from = comma > 0 ? words(name.slice(0, comma)).length : 1;
  const to = comma > 0 ? w.length : w.length - 1;
  for (let i = from; i < to; i++) if (PATRONYMIC.test(w[i])) out.add(i);
  return out;
}

export function hasPatronymic(name: string): boolean {
  return patronymicPositions(name).size > 0;
}

export function dropPatronymic(name: string): string {
  const pos = patronymicPositions(name);
  return words(name)
    .filter((_, i) => !pos.has(i))
    .join(' ');
}

export function replacePatronymic(name: string, patronymic: string): string {
  const pos = patronymicPositions(name);
  return words(name)
    .map((w, i) => (pos.has(i) ? patronymic : w))
    .join(' ');
}

const LETTERS = 'abcdefghijklmnoprstuvz';

/**
 * One keyboard-style typo (substitute, delete, insert or swap adjacent letters) in the longest word, never in
 * its first letter: a first-letter error is rare in practice and no engine is expected to catch it.
 */
export function typo(name: string, r: () => number): string {
  const w = words(name);
  let longest = 0;
  for (let i = 1; i < w.length; i++) if (w[i].length > w[longest].length) longest = i;
  const word = w[longest];
  if (word.length < 5) return name;
  const pos = 1 + Math.floor(r() * (word.length - 2));
  const kind = Math.floor(r() * 4);
  let out: string;
  if (kind === 0) out = word.slice(0, pos) + pick(r, LETTERS.split('')) + word.slice(pos + 1);
  else if (kind === 1) out = word.slice(0, pos) + word.slice(pos + 1);
  else if (kind === 2) out = word.slice(0, pos) + pick(r, LETTERS.split('')) + word.slice(pos);
  else out = word.slice(0, pos) + word[pos + 1] + word[pos] + word.slice(pos + 2);
  if (word === word.toUpperCase()) out = out.toUpperCase();
  w[longest] = out;
  return w.join(' ');
}

/** Alternative English-language romanisations of Russian name parts (BGN/PCGN vs passport vs scholarly). */
const ROMANISATION: ReadonlyArray<readonly [RegExp, string]> = [
  [/kh/gi, 'h'],
  [/iy\b/gi, 'y'],
  [/y\b/gi, 'iy'],
  [/ii\b/gi, 'iy'],
  [/yu/gi, 'iu'],
  [/ya/gi, 'ia'],
  [/ye/gi, 'e'],
  [/zh/gi, 'j'],
  [/ts/gi, 'tz'],
  [/shch/gi, 'sch'],
  [/ks/gi, 'x'],
  [/yevich\b/gi, 'evich'],
  [/ievich\b/gi, 'yevich'],
  [/aya\b/gi, 'aja'],
];

/** The name with the first applicable romanisation rule (in rule order, from a random start) applied. */
export function romanisationVariant(name: string, r: () => number): string | null {
  const start = Math.floor(r() * ROMANISATION.length);
  for (let k = 0; k < ROMANISATION.length; k++) {
    const [re, to] = ROMANISATION[(start + k) % ROMANISATION.length];
    re.lastIndex = 0;
    if (!re.test(name)) continue;
    re.lastIndex = 0;
    const out = name.replace(re, (m) => (m === m.toUpperCase() ? to.toUpperCase() : to));
    if (out !== name) return out;
  }
  return null;
}

/** Legal forms as written in different languages and lists; a swap keeps the company, changes the form. */
const LEGAL_FORM_SWAPS: ReadonlyArray<readonly [RegExp, string[]]> = [
  [/\b(LLC|L\.L\.C\.|OOO|LIMITED LIABILITY COMPANY)\b/i, ['LLC', 'OOO', 'Limited Liability Company', 'ООО', 'TOO']],
  [
    /\b(JSC|OJSC|CJSC|PJSC|OAO|ZAO|PAO|AO|JOINT STOCK COMPANY|OPEN JOINT STOCK COMPANY)\b/i,
    ['JSC', 'AO', 'PJSC', 'АО', 'Joint Stock Company'],
  ],
  [/\b(LTD\.?|LIMITED)(?=\s|$)/i, ['Ltd', 'Limited', 'LLC', 'GmbH']],
  [/\b(CO\.?,? LTD\.?|COMPANY LIMITED)(?=\s|$)/i, ['Co Ltd', 'Company Limited', 'Limited']],
  [/\b(INC\.?|CORP\.?|CORPORATION)(?=\s|$)/i, ['Inc', 'Corp', 'Corporation']],
  [/\b(S\.A\.|SA)(?=\s|$)/i, ['SA', 'S.A.', 'Ltd']],
  [/\b(GMBH)\b/i, ['GmbH', 'Ltd', 'LLC']],
];

/** The company name with its legal form replaced by another one; null when it has none we know. */
export function legalFormSwap(name: string, r: () => number): string | null {
  for (const [re, alternatives] of LEGAL_FORM_SWAPS) {
    const m = re.exec(name);
    if (m === null) continue;
    const others = alternatives.filter((a) => a.toUpperCase() !== m[0].toUpperCase().replace(/\.$/, ''));
    return name.replace(re, pick(r, others)).replace(/\s+/g, ' ').trim();
  }
  return null;
}

/** A legal form added to a company name that has none (declarations often add one). */
export function addLegalForm(name: string, r: () => number): string {
  return r() < 0.5
    ? `${pick(r, ['OOO', 'LLC', 'TOO', 'JSC', 'AO'])} ${name}`
    : `${name} ${pick(r, ['LLC', 'Ltd', 'GmbH', 'Limited'])}`;
}

/** Plain Levenshtein, for the rules that decide whether two given names are really different. */
export function levenshtein(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
