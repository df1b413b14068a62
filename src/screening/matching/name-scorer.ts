/**
 * Full comparison of the query name with one list name: pair tokens one-to-one (order-free, so "SURNAME, Given"
 * meets "Given Surname"), then a rarity-weighted agreement where tokens left without a partner cost their
 * weight - less for an omitted patronymic or middle name, fully for a conflicting given name.
 * Results stay in typed arrays; explain.ts turns them into words only for the matches returned.
 */
import { patronymicStem } from './fold';
import type { IndexData } from './index-builder';
import type { PreparedQuery } from './prepared-name';
import { MAX_QUERY_TOKENS, PAIR_THRESHOLD, TokenComparer, TokenNote } from './token-similarity';

const MAXQ = MAX_QUERY_TOKENS;
const MAXL = 24;
/** Share of its weight an unmatched token costs. */
export const ALPHA_PATRONYMIC = 0.1;
export const ALPHA_MIDDLE = 0.35;
export const ALPHA_EXTRA_QUERY = 0.5;
export const PENALTY_PATRONYMIC = -0.2;
export const CAP_SHORT_TOKEN = 0.6;
export const CAP_COMMON_TOKEN = 0.75;
/** Patronymics share their suffix (-ovich): they are compared on the father's name, and must agree closely. */
const PATRONYMIC_STEM_MIN = 0.8;

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
  /** '' when the patronymics agree or one side has none; otherwise where the other patronymic was found. */
  patronymicConflict: '' | 'this name' | 'another name of the entry' = '';
  /** Set when a single weak token is all that matched: the score was capped to this. */
  cap: number | null = null;
  capReason = '';

  constructor(private readonly cmp: TokenComparer) {}

  /**
   * Score of the query against name `n` of the index (before country adjustment). `thorough` also compares
   * token pairs outside the retrieval neighbourhood (typos that broke a digraph, "sihpping"), for the best
   * candidates only.
   */
  score(q: PreparedQuery, qWeights: Float32Array, d: IndexData, n: number, thorough: boolean): number {
    const m = (this.m = Math.min(q.name.tokens.length, MAXQ));
    const start = d.nameTokStart[n];
    const l = (this.l = Math.min(d.nameTokStart[n + 1] - start, MAXL));
    if (m === 0 || l === 0) return 0;
    for (let j = 0; j < l; j++) this.lWeight[j] = d.foldWeight[d.tokenFold[d.nameTokens[start + j]]];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < l; j++) {
        const tok = d.nameTokens[start + j];
        const f = d.tokenFold[tok];
        let s = this.cmp.similarityForScoring(i, q.name.tokens[i], d.tokenText[tok], f);
        if (q.name.patronymic[i] && d.foldPatronymic[f] === 1 && this.cmp.note !== TokenNote.Exact) {
          s = this.patronymicSimilarity(q.name.folds[i], d.foldText[f]);
        }
        this.sim[i * MAXL + j] = s;
        this.note[i * MAXL + j] = this.cmp.note;
      }
    }
    this.qPair.fill(-1, 0, m);
    this.lPair.fill(-1, 0, l);
    this.pair(m, l, qWeights);
    if (thorough && this.compareLeftovers(q, d, start)) this.pair(m, l, qWeights);
    return this.combine(q, qWeights, d, n);
  }

  private patronymicSimilarity(foldQ: string, foldL: string): number {
    if (foldQ === foldL) {
      this.cmp.note = TokenNote.Transliteration;
      return 0.98;
    }
    const a = patronymicStem(foldQ);
    const b = patronymicStem(foldL);
    if (a === b) {
      // Same father: either a son and a daughter (-ovich / -ovna) or a connecting-vowel variant (-evich / -ovych).
      const gendered = foldQ.endsWith('a') !== foldL.endsWith('a');
      this.cmp.note = gendered ? TokenNote.Gendered : TokenNote.Transliteration;
      return gendered ? 0.82 : 0.95;
    }
    const s = this.cmp.similarity(a, a, b, b);
    if (s >= PATRONYMIC_STEM_MIN) return s;
    this.cmp.note = TokenNote.Different;
    return 0;
  }

  /** Full similarity for pairs the candidate search never compared; true when any of them now pairs. */
  private compareLeftovers(q: PreparedQuery, d: IndexData, start: number): boolean {
    let found = false;
    for (let i = 0; i < this.m; i++) {
      if (this.qPair[i] >= 0 || q.name.patronymic[i]) continue;
      for (let j = 0; j < this.l; j++) {
        if (this.lPair[j] >= 0 || this.sim[i * MAXL + j] > 0) continue;
        const tok = d.nameTokens[start + j];
        const s = this.cmp.similarity(
          q.name.tokens[i],
          q.name.folds[i],
          d.tokenText[tok],
          d.foldText[d.tokenFold[tok]],
        );
        if (s < PAIR_THRESHOLD) continue;
        this.sim[i * MAXL + j] = s;
        this.note[i * MAXL + j] = this.cmp.note;
        found = true;
      }
    }
    return found;
  }

  /** Greedy one-to-one assignment of unpaired tokens, best similarity first (ties: heavier tokens). */
  private pair(m: number, l: number, qWeights: Float32Array): void {
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
          if (s > best || (s === best && s >= PAIR_THRESHOLD && w > bestW)) {
            best = s;
            bestW = w;
            bi = i;
            bj = j;
          }
        }
      }
      if (bi < 0) return;
      this.qPair[bi] = bj;
      this.lPair[bj] = bi;
    }
  }

  private combine(q: PreparedQuery, qWeights: Float32Array, d: IndexData, n: number): number {
    const { m, l } = this;
    const start = d.nameTokStart[n];
    let realPairs = 0;
    let qPatUnmatched = -1;
    let lPatUnmatched = false;
    let qOther = 0;
    let lOther = 0;
    for (let i = 0; i < m; i++) {
      const j = this.qPair[i];
      if (j >= 0) {
        if (this.note[i * MAXL + j] !== TokenNote.Initial) realPairs++;
        continue;
      }
      if (q.name.patronymic[i]) qPatUnmatched = i;
      else qOther++;
    }
    for (let j = 0; j < l; j++) {
      if (this.lPair[j] >= 0) continue;
      if (d.foldPatronymic[d.tokenFold[d.nameTokens[start + j]]] === 1) lPatUnmatched = true;
      else lOther++;
    }
    this.patronymicConflict =
      qPatUnmatched >= 0 && lPatUnmatched
        ? 'this name'
        : qPatUnmatched >= 0 && this.conflictElsewhere(q.name.folds[qPatUnmatched], d, n)
          ? 'another name of the entry'
          : '';
    // Extra tokens on one side only are omitted middle names once two real parts agree; extra tokens on both
    // sides are conflicting names (a different given name), and those cost their full weight.
    const conflict = qOther > 0 && lOther > 0;
    const qAlpha = conflict || realPairs < 2 ? 1 : ALPHA_EXTRA_QUERY;
    const lAlpha = conflict || realPairs < 2 ? 1 : ALPHA_MIDDLE;
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
        this.qAlpha[i] = q.name.patronymic[i] ? ALPHA_PATRONYMIC : qAlpha;
        den += this.qAlpha[i] * qWeights[i];
      }
    }
    for (let j = 0; j < l; j++) {
      if (this.lPair[j] >= 0) {
        this.lAlpha[j] = 0;
        continue;
      }
      const pat = d.foldPatronymic[d.tokenFold[d.nameTokens[start + j]]] === 1;
      this.lAlpha[j] = pat ? ALPHA_PATRONYMIC : lAlpha;
      den += this.lAlpha[j] * this.lWeight[j];
    }
    this.base = den > 0 ? num / den : 0;
    let s = this.base + (this.patronymicConflict !== '' ? PENALTY_PATRONYMIC : 0);
    this.cap = null;
    if (realPairs <= 1) this.singleTokenCap(q, qWeights, d, start);
    if (this.cap !== null && s > this.cap) s = this.cap;
    else this.cap = null;
    return s < 0 ? 0 : s > 1 ? 1 : s;
  }

  /**
   * This alias has no patronymic, but another name of the same entry does and it is not the query's: the
   * list knows the father's name, and it is a different one.
   */
  private conflictElsewhere(queryPatronymic: string, d: IndexData, n: number): boolean {
    const e = d.nameEntry[n];
    let seen = false;
    for (let other = d.entryNameStart[e]; other < d.entryNameStart[e + 1]; other++) {
      for (let k = d.nameTokStart[other]; k < d.nameTokStart[other + 1]; k++) {
        const f = d.tokenFold[d.nameTokens[k]];
        if (d.foldPatronymic[f] !== 1) continue;
        if (this.patronymicSimilarity(queryPatronymic, d.foldText[f]) > 0) return false;
        seen = true;
      }
    }
    return seen;
  }

  /** A lone short or common token ("Ali", "LI", "Trading") must never reach the review band on its own. */
  private singleTokenCap(q: PreparedQuery, qWeights: Float32Array, d: IndexData, start: number): void {
    let pairs = 0;
    let i0 = -1;
    for (let i = 0; i < this.m; i++)
      if (this.qPair[i] >= 0) {
        pairs++;
        i0 = i;
      }
    if (pairs === 0) {
      this.cap = 0;
      this.capReason = 'no token in common';
      return;
    }
    if (pairs > 1) {
      this.cap = CAP_COMMON_TOKEN;
      this.capReason = 'only initials besides one token';
      return;
    }
    const tok = d.nameTokens[start + this.qPair[i0]];
    const fold = d.tokenFold[tok];
    if (q.name.tokens[i0].length <= 2 || d.tokenText[tok].length <= 2) {
      this.cap = CAP_SHORT_TOKEN;
      this.capReason = 'single token of one or two letters';
    } else if (Math.min(d.foldWeight[fold], qWeights[i0]) < d.commonWeight) {
      this.cap = CAP_COMMON_TOKEN;
      this.capReason = 'single common token';
    }
  }
}
