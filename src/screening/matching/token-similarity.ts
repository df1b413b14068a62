/**
 * Similarity of two tokens, in [0, 1], with the reason a reviewer can read.
 * Works on folds (fold.ts) with a weighted edit distance whose cheap substitutions are the ambiguities of
 * romanising Cyrillic (Czech ch = х, j = й or ж, Ukrainian h = г, akanye o/a ...).
 */
import { genderedPair } from './fold';

/** Why two tokens are similar; numeric so the scorer can keep notes in a typed array. */
export const TokenNote = { Exact: 0, Transliteration: 1, Typo: 2, Gendered: 3, Initial: 4, Different: 5 } as const;
export type TokenNote = (typeof TokenNote)[keyof typeof TokenNote];

export const TOKEN_NOTE_TEXT = ['exact', 'transliteration', 'typo', 'gendered form', 'initial', 'different'] as const;
export type TokenNoteText = (typeof TOKEN_NOTE_TEXT)[number];

/** Similarities at or above this pair two tokens; below it they count as different. */
export const PAIR_THRESHOLD = 0.7;
const TYPO_FLOOR = 0.75;
const SIM_TRANSLITERATION = 0.98;
const SIM_GENDERED = 0.82;
const SIM_INITIAL = 0.7;
const SIM_SHORT_VARIANT = 0.8;
const SIM_SHORT_TYPO = 0.72;
const MAX_LEN = 64;
export const MAX_QUERY_TOKENS = 16;

const CHEAP_SUBSTITUTIONS: ReadonlyArray<readonly [string, string, number]> = [
  ['C', 'H', 0.4],
  ['X', 'H', 0.4],
  ['g', 'H', 0.4],
  ['k', 'H', 0.6],
  ['J', 'Z', 0.3],
  ['J', 'i', 0.3],
  ['Z', 'z', 0.5],
  ['S', 's', 0.5],
  ['Q', 'S', 0.3],
  ['T', 's', 0.5],
  ['T', 't', 0.6],
  ['T', 'C', 0.6],
  ['v', 'f', 0.4],
  ['a', 'o', 0.5],
  ['e', 'i', 0.5],
  ['o', 'u', 0.6],
  ['e', 'a', 0.7],
  ['X', 'k', 0.6],
  // j after a consonant is й in Vjačeslav but ж in Alimjan (Alimzhan): the fold reads it as i.
  ['Z', 'i', 0.6],
];
/** Insertion / deletion costs below 1: a lost glide (Nikolaevna / Nikolayevna survives the fold as i). */
const CHEAP_INDELS: ReadonlyArray<readonly [string, number]> = [
  ['i', 0.6],
  ['H', 0.7],
];

const SUB = new Float32Array(128 * 128).fill(1);
const INDEL = new Float32Array(128).fill(1);
for (let a = 0; a < 128; a++) SUB[a * 128 + a] = 0;
for (const [a, b, cost] of CHEAP_SUBSTITUTIONS) {
  SUB[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = cost;
  SUB[b.charCodeAt(0) * 128 + a.charCodeAt(0)] = cost;
}
for (const [c, cost] of CHEAP_INDELS) INDEL[c.charCodeAt(0)] = cost;
const SUB10 = Int32Array.from(SUB, (x) => Math.round(x * 10));
const INDEL10 = Int32Array.from(INDEL, (x) => Math.round(x * 10));
const MIN_INDEL10 = Math.min(...INDEL10);

/**
 * Character classes closed under the cheap substitutions above: a character can only change class at full
 * cost (substitution 1, or indel >= 0.6). So each class present on one side only costs at least 0.6, which gives
 * a lower bound on the distance for free.
 */
const CLASS_BIT = new Uint32Array(128).fill(1 << 20);
for (const c of 'aeiouJZz') CLASS_BIT[c.charCodeAt(0)] = 1 << 0;
for (const c of 'CHXgkTtsSQ') CLASS_BIT[c.charCodeAt(0)] = 1 << 1;
for (const c of 'vf') CLASS_BIT[c.charCodeAt(0)] = 1 << 2;
'bdlmnpr'.split('').forEach((c, i) => {
  CLASS_BIT[c.charCodeAt(0)] = 1 << (3 + i);
});
'0123456789'.split('').forEach((c, i) => {
  CLASS_BIT[c.charCodeAt(0)] = 1 << (10 + i);
});

function classMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) m |= CLASS_BIT[code(s, i)];
  return m;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function classLowerBound(a: string, b: string): number {
  const ma = classMask(a);
  const mb = classMask(b);
  return 0.6 * Math.max(popcount(ma & ~mb), popcount(mb & ~ma));
}

function code(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? c : 127;
}

/** Reusable scratch rows and a per-query cache: one comparer per index, so the hot path allocates nothing. */
export class TokenComparer {
  private readonly prev2 = new Int32Array(MAX_LEN + 1);
  private readonly prev = new Int32Array(MAX_LEN + 1);
  private readonly cur = new Int32Array(MAX_LEN + 1);
  private readonly bCodes = new Int32Array(MAX_LEN);
  /** Note of the last `similarity` call. */
  note: TokenNote = TokenNote.Different;
  /** (query token, list fold) -> similarity, valid while cacheStamp matches the current query. */
  private readonly cacheSim: Float32Array;
  private readonly cacheNote: Uint8Array;
  private readonly cacheStamp: Uint32Array;
  private query = 0;

  constructor(private readonly foldCount = 0) {
    this.cacheSim = new Float32Array(foldCount * MAX_QUERY_TOKENS);
    this.cacheNote = new Uint8Array(foldCount * MAX_QUERY_TOKENS);
    this.cacheStamp = new Uint32Array(foldCount * MAX_QUERY_TOKENS);
  }

  /** Invalidates the cache: call once per query. */
  beginQuery(): void {
    this.query++;
  }

  /**
   * Similarity of query token `t` to list fold `f` of the index, cached per query. Exactness is judged on folds
   * here; `similarityCached` refines it with the written tokens.
   */
  foldSimilarity(t: number, rawQ: string, foldQ: string, f: number, foldL: string): number {
    const k = t * this.foldCount + f;
    if (t < MAX_QUERY_TOKENS && this.cacheStamp[k] === this.query) {
      this.note = this.cacheNote[k] as TokenNote;
      return this.cacheSim[k];
    }
    const s = this.similarity(rawQ, foldQ, foldL, foldL);
    if (t < MAX_QUERY_TOKENS) {
      this.cacheStamp[k] = this.query;
      this.cacheSim[k] = s;
      this.cacheNote[k] = this.note;
    }
    return s;
  }

  /** Records a similarity found earlier (the candidate search's token cache) for query token `t`. */
  remember(t: number, f: number, sim: number, note: number): void {
    if (t >= MAX_QUERY_TOKENS) return;
    const k = t * this.foldCount + f;
    this.cacheStamp[k] = this.query;
    this.cacheSim[k] = sim;
    this.cacheNote[k] = note;
  }

  /**
   * Similarity of query token `t` and a list token (written form `rawL`, fold id `f`) for full scoring.
   * Only folds the candidate search examined for this query token are compared; any other fold lies outside
   * the one-edit neighbourhood of the retrieval key and so cannot be a typo or transliteration of the token.
   */
  similarityForScoring(t: number, rawQ: string, rawL: string, f: number): number {
    if (rawQ === rawL) {
      this.note = TokenNote.Exact;
      return 1;
    }
    const k = t * this.foldCount + f;
    if (t < MAX_QUERY_TOKENS && this.cacheStamp[k] === this.query) {
      const note = this.cacheNote[k] as TokenNote;
      if (note === TokenNote.Exact) {
        this.note = TokenNote.Transliteration;
        return SIM_TRANSLITERATION;
      }
      this.note = note;
      return this.cacheSim[k];
    }
    if (rawQ.length === 1 || rawL.length === 1) {
      const initialMatch = rawQ.length !== rawL.length && rawQ[0] === rawL[0];
      this.note = initialMatch ? TokenNote.Initial : TokenNote.Different;
      return initialMatch ? SIM_INITIAL : 0;
    }
    this.note = TokenNote.Different;
    return 0;
  }

  /**
   * Weighted optimal-string-alignment distance between two folds; stops early and returns a value above
   * `bound` once every alignment costs more than it. Costs run in tenths, in integer arrays: this is the
   * innermost loop of the engine.
   */
  distance(a: string, b: string, bound = Infinity): number {
    const n = Math.min(a.length, MAX_LEN);
    const m = Math.min(b.length, MAX_LEN);
    const bc = this.bCodes;
    for (let j = 0; j < m; j++) bc[j] = code(b, j);
    // A tenth above the bound: the costs are whole tenths, so nothing at or under the bound is cut by rounding.
    const limit = bound === Infinity ? 1 << 30 : bound * 10 + 1;
    let p2 = this.prev2;
    let p = this.prev;
    let c = this.cur;
    p[0] = 0;
    for (let j = 1; j <= m; j++) p[j] = p[j - 1] + INDEL10[bc[j - 1]];
    let caPrev = -1;
    let prevMin = 0;
    for (let i = 1; i <= n; i++) {
      const ca = code(a, i - 1);
      const subRow = ca * 128;
      const delCost = INDEL10[ca];
      let left = p[0] + delCost;
      c[0] = left;
      let rowMin = left;
      // Cell j still leaves |rest| letters without a partner, each an indel of at least MIN_INDEL10.
      let rest = n - i - m;
      let rowBound = left + MIN_INDEL10 * (rest < 0 ? -rest : rest);
      for (let j = 1; j <= m; j++) {
        const cb = bc[j - 1];
        let v = p[j - 1] + SUB10[subRow + cb];
        const del = p[j] + delCost;
        if (del < v) v = del;
        const ins = left + INDEL10[cb];
        if (ins < v) v = ins;
        if (j > 1 && ca !== cb && caPrev === cb && ca === bc[j - 2]) {
          const tr = p2[j - 2] + 10;
          if (tr < v) v = tr;
        }
        c[j] = v;
        left = v;
        if (v < rowMin) rowMin = v;
        rest++;
        const lower = v + MIN_INDEL10 * (rest < 0 ? -rest : rest);
        if (lower < rowBound) rowBound = lower;
      }
      // Every alignment crosses this row, or jumps it by a transposition (10) from the previous one.
      const floor = rowBound < prevMin + 10 ? rowBound : prevMin + 10;
      if (floor > limit) return floor / 10;
      prevMin = rowMin;
      const t = p2;
      p2 = p;
      p = c;
      c = t;
      caPrev = ca;
    }
    return p[m] / 10;
  }

  /**
   * Similarity of a query token and a list token, given their normalised forms and folds.
   * Sets `note` as a side effect.
   */
  similarity(rawA: string, foldA: string, rawB: string, foldB: string): number {
    if (rawA === rawB) {
      this.note = TokenNote.Exact;
      return 1;
    }
    if (foldA === foldB) {
      this.note = TokenNote.Transliteration;
      return SIM_TRANSLITERATION;
    }
    if (rawA.length === 1 || rawB.length === 1) {
      const initialMatch = rawA.length !== rawB.length && rawA[0] === rawB[0];
      this.note = initialMatch ? TokenNote.Initial : TokenNote.Different;
      return initialMatch ? SIM_INITIAL : 0;
    }
    const maxLen = Math.max(foldA.length, foldB.length);
    if (Math.abs(foldA.length - foldB.length) > 3 || maxLen > MAX_LEN) {
      this.note = TokenNote.Different;
      return 0;
    }
    // Every feminine form ends in -a (-ova, -skaya, -ina, Belarusian -ka); checking that first keeps the
    // suffix comparison off the hot path. A gendered pair is one whatever the distance of the whole folds.
    if (foldA.endsWith('a') !== foldB.endsWith('a') && genderedPair(foldA, foldB, this.stemsClose)) {
      this.note = TokenNote.Gendered;
      return SIM_GENDERED;
    }
    // Past this distance a pair is not a typo: no need to finish the table.
    const bound = ((1 - PAIR_THRESHOLD) * maxLen) / 0.8;
    if (Math.abs(foldA.length - foldB.length) * 0.6 > bound || classLowerBound(foldA, foldB) > bound) {
      this.note = TokenNote.Different;
      return 0;
    }
    // shortTokens reads the distance up to 1 even where the bound is lower (two-letter tokens).
    const d = this.distance(foldA, foldB, Math.max(bound, 1));
    if (maxLen <= 3) return this.shortTokens(foldA, foldB, d);
    if (d < 1) {
      this.note = TokenNote.Transliteration;
      return 0.96 - 0.06 * d;
    }
    if (d > bound) {
      this.note = TokenNote.Different;
      return 0;
    }
    const sim = Math.max(0, 1 - (0.8 * d) / maxLen);
    this.note = sim >= TYPO_FLOOR ? TokenNote.Typo : TokenNote.Different;
    return sim;
  }

  /**
   * Two- and three-letter tokens (Ali / Ala, Al / El) are different names far more often than spelling variants
   * of one, so they never reach the transliteration level; one edit that keeps the first letter still pairs
   * them, weakly.
   */
  private shortTokens(a: string, b: string, d: number): number {
    if (d < 0.7) {
      this.note = TokenNote.Transliteration;
      return SIM_SHORT_VARIANT;
    }
    if (d <= 1 && a[0] === b[0]) {
      this.note = TokenNote.Typo;
      return SIM_SHORT_TYPO;
    }
    this.note = TokenNote.Different;
    return 0;
  }

  /** Two lengths apart is two indels, at least 1.2: most stem pairs are settled without the table. */
  private readonly stemsClose = (x: string, y: string): boolean =>
    Math.abs(x.length - y.length) < 2 && this.distance(x, y, 1) < 1;
}
