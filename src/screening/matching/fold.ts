/**
 * Phonetic fold of one normalised token: the romanisation variants of one Cyrillic spelling collapse to one
 * string (Dmitry / Dmitriy / Dmitrii / Dmitrij -> "dmitri"; Zhuravleva / Zjuravleva -> "Zuravleva").
 * Upper-case letters in the output stand for one Cyrillic sound written with several Latin letters:
 *   Q щ (shch, sch)   S ш (sh)   C ч (ch, cz, tch)   Z ж (zh, zj)   J дж/initial j (dzh, dj, j+a/o/u)
 *   H х (kh, h)       X кс (ks, x)   T ц (ts, tz)
 * The weighted edit distance (token-similarity.ts) treats the remaining ambiguities (Czech ch = х, j = й or ж,
 * Ukrainian h = г) as cheap substitutions rather than folding them, so genuinely different names stay apart.
 */

const VOWELS = 'aeiou';

function isVowel(c: string | undefined): boolean {
  return c !== undefined && VOWELS.includes(c);
}

/** The fold of a normalised (lower-case ASCII) token. */
export function foldToken(t: string): string {
  let out = '';
  const n = t.length;
  let i = 0;
  while (i < n) {
    const c = t[i];
    const c1 = t[i + 1];
    switch (c) {
      case 's':
        if (t.startsWith('shch', i)) {
          out += 'Q';
          i += 4;
          continue;
        }
        if (t.startsWith('sch', i)) {
          out += 'Q';
          i += 3;
          continue;
        }
        if (c1 === 'h') {
          out += 'S';
          i += 2;
          continue;
        }
        break;
      case 'z':
        if (c1 === 'h' || (c1 === 'j' && isVowel(t[i + 2]))) {
          out += 'Z';
          i += 2;
          continue;
        }
        break;
      case 'd':
        if (t.startsWith('dzh', i)) {
          out += 'J';
          i += 3;
          continue;
        }
        if (c1 === 'j') {
          out += 'J';
          i += 2;
          continue;
        }
        break;
      case 'k':
        if (c1 === 'h') {
          out += 'H';
          i += 2;
          continue;
        }
        if (c1 === 's') {
          out += 'X';
          i += 2;
          continue;
        }
        break;
      case 'c':
        if (c1 === 'h' || c1 === 'z') {
          out += 'C';
          i += 2;
          continue;
        }
        if (c1 === 'k') {
          out += t[i + 2] === 's' ? 'X' : 'k';
          i += t[i + 2] === 's' ? 3 : 2;
          continue;
        }
        out += c1 === 'e' || c1 === 'i' || c1 === 'y' ? 's' : 'k';
        i += 1;
        continue;
      case 't':
        if (t.startsWith('tsch', i)) {
          out += 'C';
          i += 4;
          continue;
        }
        if (t.startsWith('tch', i)) {
          out += 'C';
          i += 3;
          continue;
        }
        if (c1 === 's' || c1 === 'z') {
          out += 'T';
          i += 2;
          continue;
        }
        if (c1 === 'h') {
          out += 't';
          i += 2;
          continue;
        }
        break;
      case 'x':
        out += 'X';
        i += 1;
        continue;
      case 'h':
        // A final h after a vowel is silent in romanised Arabic and Persian names (Abdullah / Abdulla).
        if (i === n - 1 && i > 0 && isVowel(t[i - 1])) {
          i += 1;
          continue;
        }
        out += 'H';
        i += 1;
        continue;
      case 'g':
        if (c1 === 'h') {
          out += 'g';
          i += 2;
          continue;
        }
        break;
      case 'p':
        if (c1 === 'h') {
          out += 'f';
          i += 2;
          continue;
        }
        break;
      case 'w':
        out += 'v';
        i += 1;
        continue;
      case 'q':
        out += 'k';
        i += 1;
        continue;
      case 'j':
        out += i === 0 && (c1 === 'a' || c1 === 'o' || c1 === 'u') ? 'J' : 'i';
        i += 1;
        continue;
      case 'y':
        out += 'i';
        i += 1;
        continue;
      case 'o':
        if (c1 === 'u') {
          out += 'u';
          i += 2;
          continue;
        }
        break;
      default:
        break;
    }
    out += c;
    i += 1;
  }
  return collapse(out);
}

/** Doubled letters collapse (Mohammed / Mohamed); a glide before e disappears (Yevgeny / Evgeny, -ievich / -evich). */
function collapse(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (out.length > 0 && out[out.length - 1] === c) continue;
    if (c === 'e' && out.length > 0 && out[out.length - 1] === 'i') {
      out = out.slice(0, -1) + 'e';
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * Coarse retrieval key: the fold without vowels, with the symbols the distance treats as cheap merged.
 * Used only to find candidate vocabulary tokens; similarity is always decided on the fold itself.
 * Consonants that only became neighbours because a vowel was dropped are kept twice ("administration" keeps
 * both t's), so a typo elsewhere stays one edit away.
 */
export function coarseKey(fold: string, jAsZh = false): string {
  let out = '';
  let prev = '';
  for (let i = 0; i < fold.length; i++) {
    let c = fold[i];
    // J (initial j, dzh) is y in Jurij but zh in Janat / Jarov: it is dropped like a vowel, or read as zh in the
    // second key that retrievalKeys files for it.
    if (c === 'J' && jAsZh) c = 'Z';
    if (VOWELS.includes(c) || c === 'J') {
      prev = '';
      continue;
    }
    if (c === 'X' || c === 'C' || c === 'g') c = 'H';
    else if (c === 'Q') c = 'S';
    else if (c === 'f') c = 'v';
    if (c !== prev) out += c;
    prev = c;
  }
  return out.length > 0 ? out : fold;
}

function deletions(key: string, into: string[]): void {
  for (let i = 0; i < key.length; i++) {
    const k = key.slice(0, i) + key.slice(i + 1);
    if (!into.includes(k)) into.push(k);
  }
}

/**
 * Keys under which the index files a list fold: the coarse key, plus its one-deletion neighbours when it has
 * four or more consonants, or one-substitution wildcards when it has three (the deletions of a three-consonant
 * key would each hit a large part of the vocabulary).
 */
export function retrievalKeys(fold: string): string[] {
  const keys: string[] = [];
  addKeys(coarseKey(fold), keys);
  if (fold.includes('J')) addKeys(coarseKey(fold, true), keys);
  return keys;
}

function addKeys(key: string, keys: string[]): void {
  if (!keys.includes(key)) keys.push(key);
  if (key.length >= 4) deletions(key, keys);
  else if (key.length === 3) {
    for (const k of [`*${key.slice(1)}`, `${key[0]}*${key[2]}`, `${key.slice(0, 2)}*`])
      if (!keys.includes(k)) keys.push(k);
  }
}

/**
 * Extra keys for a query token the list has never seen (most likely a typo): a consonant inserted or lost in a
 * short token. Deletions of a three-consonant key meet two-consonant list keys; insertion wildcards of a
 * two-consonant key meet the wildcards of three-consonant list keys. Too unselective to try for every token.
 */
export function typoKeys(fold: string): string[] {
  const keys: string[] = [];
  const key = coarseKey(fold);
  if (key.length === 3) deletions(key, keys);
  else if (key.length === 2) keys.push(`*${key}`, `${key[0]}*${key[1]}`, `${key}*`);
  return keys;
}

/** Patronymic-looking fold: Russian -vich/-vna/-ichna, Ukrainian -ovych/-ivna (folded: ...viC, ...vna, ...iCna). */
export function isPatronymicFold(fold: string): boolean {
  if (fold.length < 6) return false;
  return fold.endsWith('viC') || fold.endsWith('vna') || fold.endsWith('iCna');
}

/** The part of a patronymic fold that names the father: Sergeevich / Serhiyovych -> serg / serHi. */
export function patronymicStem(fold: string): string {
  return fold.replace(/[aeiou]?(viC|vna|iCna)$/, '');
}

const GENDER_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['ov', 'ova'],
  ['ev', 'eva'],
  ['in', 'ina'],
  ['ski', 'ska'],
  ['ski', 'skaia'],
  ['Tki', 'Tkaia'],
  ['oi', 'aia'],
  ['ko', 'ka'],
  ['viC', 'vna'],
  ['iC', 'iCna'],
  ['', 'a'],
];

/**
 * True when the two folds are the masculine and feminine (or Russian and Belarusian -o/-a) forms of one name:
 * Zakharov / Zakharova, Zhukovsky / Zhukovskaya, Soyko / Soyka, Aleksandr / Aleksandra.
 * `stemsEqual` lets the caller accept stems that differ only by a cheap transliteration difference.
 */
export function genderedPair(a: string, b: string, stemsEqual: (x: string, y: string) => boolean): boolean {
  if (a === b) return false;
  for (const [m, f] of GENDER_PAIRS) {
    if (tryPair(a, b, m, f, stemsEqual) || tryPair(b, a, m, f, stemsEqual)) return true;
  }
  return false;
}

function tryPair(masc: string, fem: string, m: string, f: string, eq: (x: string, y: string) => boolean): boolean {
  if (!masc.endsWith(m) || !fem.endsWith(f)) return false;
  const s1 = masc.slice(0, masc.length - m.length);
  const s2 = fem.slice(0, fem.length - f.length);
  if (s1.length < 3 || s2.length < 3) return false;
  return s1 === s2 || eq(s1, s2);
}
