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
const MAX_LEN = 64;
export const MAX_QUERY_TOKENS = 16;

const CHEAP_SUBSTITUTIONS: ReadonlyArray<readonly [string, string, number]> = [
  ['C', 'H', 0.4], ['X', 'H', 0.4], ['g', 'H', 0.4], ['k', 'H', 0.6], ['J', 'Z', 0.3], ['J', 'i', 0.3],
  ['Z', 'z', 0.5], ['S', 's', 0.5], ['Q', 'S', 0.3], ['T', 's', 0.5], ['T', 't', 0.6], ['T', 'C', 0.6],
  ['v', 'f', 0.4], ['a', 'o', 0.5], ['e', 'i', 0.5], ['o', 'u', 0.6], ['e', 'a', 0.7], ['X', 'k', 0.6],
];
/** Insertion / deletion costs below 1: a lost glide (Nikolaevna / Nikolayevna survives the fold as i). */
const CHEAP_INDELS: ReadonlyArray<readonly [string, number]> = [['i', 0.6], ['H', 0.7]];

const SUB = new Float32Array(128 * 128).fill(1);
const INDEL = new Float32Array(128).fill(1);
for (let a = 0; a < 128; a++) SUB[a * 128 + a] = 0;
for (const [a, b, cost] of CHEAP_SUBSTITUTIONS) {
  SUB[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = cost;
  SUB[b.charCodeAt(0) * 128 + a.charCodeAt(0)] = cost;
}
for (const [c, cost] of CHEAP_INDELS) INDEL[c.charCodeAt(0)] = cost;

function code(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? c : 127;
}

/** Reusable scratch rows and a per-query cache: one comparer per index, so the hot path allocates nothing. */
export class TokenComparer {
  private readonly prev2 = new Float32Array(MAX_LEN + 1);
  private readonly prev = new Float32Array(MAX_LEN + 1);
  private readonly cur = new Float32Array(MAX_LEN + 1);
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

  /**
   * Similarity of query token `t` and a list token (written form `rawL`, fold id `f`) for full scoring.
   * Only folds the candidate search examined for this query token are compared; any other fold lies outside
   * the one-edit neighbourhood of the retrieval key and so cannot be a typo or transliteration of the token.
   */
  similarityForScoring(t: number, rawQ: string, rawL: string, f: number): number {
    if (rawQ === rawL) { this.note = TokenNote.Exact; return 1; }
    const k = t * this.foldCount + f;
    if (t < MAX_QUERY_TOKENS && this.cacheStamp[k] === this.query) {
      const note = this.cacheNote[k] as TokenNote;
      if (note === TokenNote.Exact) { this.note = TokenNote.Transliteration; return SIM_TRANSLITERATION; }
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
   * `bound` once every alignment costs more than it.
   */
  distance(a: string, b: string, bound = Infinity): number {
    const n = Math.min(a.length, MAX_LEN);
    const m = Math.min(b.length, MAX_LEN);
    let p2 = this.prev2;
    let p = this.prev;
    let c = this.cur;
    p[0] = 0;
    for (let j = 1; j <= m; j++) p[j] = p[j - 1] + INDEL[code(b, j - 1)];
    for (let i = 1; i <= n; i++) {
      const ca = code(a, i - 1);
      c[0] = p[0] + INDEL[ca];
      let rowMin = c[0];
      for (let j = 1; j <= m; j++) {
        const cb = code(b, j - 1);
        let v = p[j - 1] + SUB[ca * 128 + cb];
        const del = p[j] + INDEL[ca];
        if (del < v) v = del;
        const ins = c[j - 1] + INDEL[cb];
        if (ins < v) v = ins;
        if (i > 1 && j > 1 && ca === code(b, j - 2) && code(a, i - 2) === cb && ca !== cb) {
          const tr = p2[j - 2] + 1;
          if (tr < v) v = tr;
        }
        c[j] = v;
        if (v < rowMin) rowMin = v;
      }
      // A later row can be cheaper than this one only through a transposition that reads the previous row.
      if (rowMin > bound + 1) return rowMin;
      const t = p2; p2 = p; p = c; c = t;
    }
    return p[m];
  }

  /**
   * Similarity of a query token and a list token, given their normalised forms and folds.
   * Sets `note` as a side effect.
   */
  similarity(rawA: string, foldA: string, rawB: string, foldB: string): number {
    if (rawA === rawB) { this.note = TokenNote.Exact; return 1; }
    if (rawA.length === 1 || rawB.length === 1) {
      const initialMatch = rawA.length !== rawB.length && rawA[0] === rawB[0];
      this.note = initialMatch ? TokenNote.Initial : TokenNote.Different;
      return initialMatch ? SIM_INITIAL : 0;
    }
    if (foldA === foldB) { this.note = TokenNote.Transliteration; return SIM_TRANSLITERATION; }
    const maxLen = Math.max(foldA.length, foldB.length);
    if (Math.abs(foldA.length - foldB.length) > 3 || maxLen > MAX_LEN) { this.note = TokenNote.Different; return 0; }
    // Past this distance a pair is not a typo: no need to finish the table.
    const bound = ((1 - PAIR_THRESHOLD) * maxLen) / 0.8;
    const d = this.distance(foldA, foldB, bound);
    // Every feminine form ends in -a (-ova, -skaya, -ina, Belarusian -ka); checking that first keeps the
    // suffix comparison off the hot path.
    if ((foldA.endsWith('a') !== foldB.endsWith('a')) && genderedPair(foldA, foldB, this.stemsClose)) {
      this.note = TokenNote.Gendered;
      return SIM_GENDERED;
    }
    if (d < 1) { this.note = TokenNote.Transliteration; return 0.96 - 0.06 * d; }
    if (maxLen <= 3 || d > bound) { this.note = TokenNote.Different; return 0; }
    const sim = Math.max(0, 1 - (0.8 * d) / maxLen);
    this.note = sim >= TYPO_FLOOR ? TokenNote.Typo : TokenNote.Different;
    return sim;
  }

  private readonly stemsClose = (x: string, y: string): boolean => this.distance(x, y, 1) < 1;
}
