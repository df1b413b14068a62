/**
 * Full comparison of the query name with one list name: pair tokens one-to-one (order-free, so "SURNAME, Given"
 * meets "Given Surname"), then a rarity-weighted agreement where tokens left without a partner cost their
 * weight - less for an omitted patronymic or middle name, fully for a conflicting given name.
 * Results stay in typed arrays; explain.ts turns them into words only for the matches returned.
 */
import type { IndexData } from './index-builder';
import type { PreparedQuery } from './prepared-name';
import { MAX_QUERY_TOKENS, PAIR_THRESHOLD, TokenComparer, TokenNote } from './token-similarity';

const MAXQ = MAX_QUERY_TOKENS;
const MAXL = 24;
/** Share of its weight an unmatched token costs. */
export const ALPHA_PATRONYMIC = 0.15;
export const ALPHA_MIDDLE = 0.35;
export const PENALTY_PATRONYMIC = -0.2;
export const CAP_SHORT_TOKEN = 0.6;
export const CAP_COMMON_TOKEN = 0.75;

export class NameScorer {
  readonly sim = new Float32Array(MAXQ * MAXL);
  readonly note = new Uint8Array(MAXQ * MAXL);
  /** Partner of each query / list token, -1 when none. */
  readonly qPair = new Int8Array(MAXQ);
  readonly lPair = new Int8Array(MAXL);
  /** Cost factor applied to each unmatched token. */
  readonly qAlpha = new Float32Array(MAXQ);
  readonly lAlpha = new Float32Array(MAXL);
  readonly lWeight = new Float32Array(MAXL);
  m = 0;
  l = 0;
  /** Weighted agreement before caps and penalties. */
  base = 0;
  patronymicConflict = false;
  /** Set when a single weak token is all that matched: the score was capped to this. */
  cap: number | null = null;
  capReason = '';

  constructor(private readonly cmp: TokenComparer) {}

  /** Score of the query against name `n` of the index (before country adjustment). */
  score(q: PreparedQuery, qWeights: Float32Array, d: IndexData, n: number): number {
    const m = (this.m = Math.min(q.name.tokens.length, MAXQ));
    const start = d.nameTokStart[n];
    const l = (this.l = Math.min(d.nameTokStart[n + 1] - start, MAXL));
    if (m === 0 || l === 0) return 0;
    for (let j = 0; j < l; j++) this.lWeight[j] = d.foldWeight[d.tokenFold[d.nameTokens[start + j]]];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < l; j++) {
        const tok = d.nameTokens[start + j];
        const s = this.cmp.similarityForScoring(i, q.name.tokens[i], d.tokenText[tok], d.tokenFold[tok]);
        this.sim[i * MAXL + j] = s;
        this.note[i * MAXL + j] = this.cmp.note;
      }
    }
    const matched = this.pair(m, l, qWeights);
    return this.combine(q, qWeights, d, start, matched);
  }

  /** Greedy one-to-one assignment, best similarity first (ties: heavier list token). Returns real pairs. */
  private pair(m: number, l: number, qWeights: Float32Array): number {
    this.qPair.fill(-1, 0, m);
    this.lPair.fill(-1, 0, l);
    let realPairs = 0;
    for (;;) {
      let bi = -1;
      let bj = -1;
      let best = PAIR_THRESHOLD;
      let bestW = -1;
      for (let i = 0; i < m; i++) {
        if (this.qPair[i] >= 0) continue;
        for (let j = 0; j < l; j++) {
          if (this.lPair[j] >= 0) continue;
          const s = this.sim[i * MAXL + j];
          const w = this.lWeight[j] + qWeights[i];
          if (s > best || (s === best && s >= PAIR_THRESHOLD && w > bestW)) { best = s; bestW = w; bi = i; bj = j; }
        }
      }
      if (bi < 0) break;
      this.qPair[bi] = bj;
      this.lPair[bj] = bi;
      if (this.note[bi * MAXL + bj] !== TokenNote.Initial) realPairs++;
    }
    return realPairs;
  }

  private combine(q: PreparedQuery, qWeights: Float32Array, d: IndexData, start: number, realPairs: number): number {
    const { m, l } = this;
    let qPatUnmatched = false;
    let lPatUnmatched = false;
    let qOther = 0;
    let lOther = 0;
    for (let i = 0; i < m; i++) {
      if (this.qPair[i] >= 0) continue;
      if (q.name.patronymic[i]) qPatUnmatched = true; else qOther++;
    }
    for (let j = 0; j < l; j++) {
      if (this.lPair[j] >= 0) continue;
      if (d.foldPatronymic[d.tokenFold[d.nameTokens[start + j]]] === 1) lPatUnmatched = true; else lOther++;
    }
    this.patronymicConflict = qPatUnmatched && lPatUnmatched;
    // Extra tokens on one side only are omitted middle names once two real parts agree; extra tokens on both
    // sides are conflicting names (a different given name), and those cost their full weight.
    const otherAlpha = qOther > 0 && lOther > 0 ? 1 : realPairs >= 2 ? ALPHA_MIDDLE : 1;
    let num = 0;
    let den = 0;
    for (let i = 0; i < m; i++) {
      const j = this.qPair[i];
      if (j >= 0) {
        const w = (qWeights[i] + this.lWeight[j]) / 2;
        num += w * this.sim[i * MAXL + j];
        den += w;
        this.qAlpha[i] = 0;
      } else {
        this.qAlpha[i] = q.name.patronymic[i] ? ALPHA_PATRONYMIC : otherAlpha;
        den += this.qAlpha[i] * qWeights[i];
      }
    }
    for (let j = 0; j < l; j++) {
      if (this.lPair[j] >= 0) { this.lAlpha[j] = 0; continue; }
      const pat = d.foldPatronymic[d.tokenFold[d.nameTokens[start + j]]] === 1;
      this.lAlpha[j] = pat ? ALPHA_PATRONYMIC : otherAlpha;
      den += this.lAlpha[j] * this.lWeight[j];
    }
    this.base = den > 0 ? num / den : 0;
    let s = this.base + (this.patronymicConflict ? PENALTY_PATRONYMIC : 0);
    this.cap = null;
    if (realPairs <= 1) this.applySingleTokenCap(q, d, start);
    if (this.cap !== null && s > this.cap) s = this.cap; else this.cap = null;
    return s < 0 ? 0 : s > 1 ? 1 : s;
  }

  /** A lone short or common token ("Ali", "LI", "Trading") must never reach the review band on its own. */
  private applySingleTokenCap(q: PreparedQuery, d: IndexData, start: number): void {
    let pairs = 0;
    let i0 = -1;
    for (let i = 0; i < this.m; i++) if (this.qPair[i] >= 0) { pairs++; i0 = i; }
    if (pairs === 0) { this.cap = 0; this.capReason = 'no token in common'; return; }
    if (pairs > 1) { this.cap = CAP_COMMON_TOKEN; this.capReason = 'only initials besides one token'; return; }
    const j0 = this.qPair[i0];
    const listFold = d.tokenFold[d.nameTokens[start + j0]];
    if (q.name.tokens[i0].length <= 2 || d.foldText[listFold].length <= 2) {
      this.cap = CAP_SHORT_TOKEN; this.capReason = 'single token of one or two letters';
    } else if (d.foldWeight[listFold] < d.commonWeight) {
      this.cap = CAP_COMMON_TOKEN; this.capReason = 'single common token';
    }
  }
}
