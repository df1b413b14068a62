/**
 * Candidate generation: query token -> retrieval keys -> vocabulary folds (checked with the real token
 * similarity) -> posting lists -> names, accumulating rarity weight per name. Only the best few names are
 * scored in full. Every buffer is allocated once per index and reused, so a query allocates almost nothing.
 */
import type { IndexData } from './index-builder';
import type { PreparedQuery } from './prepared-name';
import { retrievalKeys, typoKeys } from './fold';
import { MAX_QUERY_TOKENS, PAIR_THRESHOLD, TokenComparer } from './token-similarity';

/** How many names are scored in full per list. */
export const CANDIDATES_PER_LIST = 48;
const MAX_HITS = 8192;
/** Below this rank (approximate Dice on weights) a name cannot reach any useful score. */
const MIN_RANK = 0.3;
/** Posting lists longer than this only boost names already found through rarer tokens. */
const LARGE_POSTING = 4096;
/**
 * Once the rarer tokens of a query have found this many names, a later token's large posting lists only boost them.
 * Without it a query of common words ("Mohamed Ali Hassan") touches a good part of a 5,000,000-name list, and
 * ranking the touched names costs more than all the rest; with it such a query still finds every name that holds
 * its rarer words. Lists of the size of SDN + UN have no posting list above LARGE_POSTING, so nothing changes there.
 */
const SEEDED_ENOUGH = 2048;
/**
 * A query token whose similar folds hold more names than this, one list among them above LARGE_POSTING, is common
 * enough that a name holding it and no other query token cannot rank among the best: when the rarer tokens have not
 * seeded enough names, such tokens only add names that hold two of them (Mohamed + Ali), and boost names found before.
 */
const COMMON_TOKEN_POSTINGS = 16384;
/**
 * A loosely similar fold (Mohammed ~ Ahmed, 0.71) with a posting list above LARGE_POSTING is skipped: on a list of
 * millions it holds tens of thousands of names that share nothing but a common given name's shape with the query.
 */
const LOOSE_SIMILARITY = 0.8;
/** Slots of the cross-query token cache (9 bytes each), grown by doubling up to room for ~50,000 tokens. */
const CACHE_ARENA_START = 1 << 14;
const CACHE_ARENA_MAX = 1 << 20;
/**
 * Lists whose vocabulary is at most this many written tokens get every token's similar folds computed at build time
 * (SDN + UN: ~40,000 tokens, about two seconds and a few MB), so even the first query after a list activation finds
 * the list's own spellings without running an edit distance. Bigger vocabularies rely on the cross-query cache.
 */
export const PRECOMPUTE_MAX_TOKENS = 100_000;

export class CandidateSearch {
  private readonly acc: Float32Array;
  private readonly touched: Uint32Array;
  private touchedCount = 0;
  /** touched[0 .. sortedCount) in ascending order, for boost (names are only ever appended to touched). */
  private sorted = new Uint32Array(1024);
  private sortedCount = 0;
  private readonly foldStamp: Uint32Array;
  private stamp = 0;
  private readonly hitFold = new Uint32Array(MAX_HITS);
  private readonly hitSim = new Float32Array(MAX_HITS);
  private readonly hitNote = new Uint8Array(MAX_HITS);
  /** Written query token -> offset of its similar folds in the cache arena (no allocation per entry). */
  private readonly tokenCache = new Map<string, number>();
  private readonly cacheArena = new HitArena(CACHE_ARENA_START);
  /** Written list token -> offset of its similar folds in `knownArena`; built once, never cleared. */
  private readonly knownTokens = new Map<string, number>();
  private readonly knownArena = new HitArena(0);
  private readonly tokOrder = new Uint8Array(MAX_QUERY_TOKENS);
  private readonly tokEnd = new Uint16Array(MAX_QUERY_TOKENS);
  /**
   * Pair mode (COMMON_TOKEN_POSTINGS), allocated only for an index with a posting list above LARGE_POSTING: one bit per
   * name for each common token of the query (the token met it), one bit per name for the touched names (kept in step
   * with `touched` up to touchedBitsUpTo), and per name the weight of the token that met it first. The bitmaps are
   * 32 times smaller than a per-name array, so the millions of postings of two common tokens are checked in cache.
   */
  private readonly pairAcc: Float32Array | null;
  private readonly touchedBits: Uint32Array | null;
  private readonly tokenBits: (Uint32Array | null)[] = new Array<Uint32Array | null>(MAX_QUERY_TOKENS).fill(null);
  private readonly pairTokens = new Uint8Array(MAX_QUERY_TOKENS);
  private readonly otherBits: Uint32Array[] = [];
  private pairTokenCount = 0;
  private touchedBitsUpTo = -1;
  private readonly common = new Uint8Array(MAX_QUERY_TOKENS);
  /** Weight of each query token in this list (exact fold weight, else that of its best similar fold). */
  readonly queryWeights = new Float32Array(MAX_QUERY_TOKENS);
  readonly top = new Uint32Array(CANDIDATES_PER_LIST);
  private readonly topRank = new Float32Array(CANDIDATES_PER_LIST);
  topCount = 0;

  constructor(
    private readonly d: IndexData,
    private readonly cmp: TokenComparer,
  ) {
    this.acc = new Float32Array(d.nameCount);
    this.touched = new Uint32Array(d.nameCount);
    this.foldStamp = new Uint32Array(d.foldText.length);
    let largest = 0;
    for (let f = 0; f < d.foldText.length; f++) largest = Math.max(largest, d.postStart[f + 1] - d.postStart[f]);
    this.pairAcc = largest > LARGE_POSTING ? new Float32Array(d.nameCount) : null;
    this.touchedBits = largest > LARGE_POSTING ? new Uint32Array((d.nameCount + 31) >>> 5) : null;
  }

  /** Forgets the per-token results kept across queries (not those computed at build time). */
  clearCache(): void {
    this.tokenCache.clear();
    this.cacheArena.used = 0;
  }

  /**
   * Computes, for each of the list's own written tokens (a vocabulary of at most PRECOMPUTE_MAX_TOKENS), the similar
   * folds a query holding that token would find: the same search a query runs, kept for the life of the index.
   * A step generator, so a serving process builds it in slices.
   */
  *precomputeSteps(): Generator<void, void> {
    const tokens = this.d.tokenText;
    if (tokens.length > PRECOMPUTE_MAX_TOKENS) return;
    for (let i = 0; i < tokens.length; i++) {
      this.cmp.beginQuery();
      const fold = this.d.foldText[this.d.tokenFold[i]];
      const hits = this.searchToken(0, tokens[i], fold, retrievalKeys(fold), typoKeys(fold), 0);
      this.knownArena.reserve(hits + 1);
      this.knownTokens.set(tokens[i], this.knownArena.append(this.hitFold, this.hitSim, this.hitNote, 0, hits));
      if (i % 64 === 63) yield;
    }
    this.knownArena.trim();
  }

  /** Fills `top` (best first) and `queryWeights`. */
  search(q: PreparedQuery): void {
    const d = this.d;
    const m = Math.min(q.name.tokens.length, MAX_QUERY_TOKENS);
    let hits = 0;
    this.cmp.beginQuery();
    const tokEnd = this.tokEnd;
    for (let t = 0; t < m; t++) {
      const start = hits;
      hits = this.lookupToken(q, t, hits);
      let best = -1;
      for (let h = start; h < hits; h++) {
        const f = this.hitFold[h];
        if (
          best < 0 ||
          this.hitSim[h] > this.hitSim[best] ||
          (this.hitSim[h] === this.hitSim[best] && d.foldWeight[f] > d.foldWeight[this.hitFold[best]])
        )
          best = h;
      }
      const exact = d.foldIds.get(q.name.folds[t]);
      this.queryWeights[t] =
        exact !== undefined
          ? d.foldWeight[exact]
          : best >= 0
            ? d.foldWeight[this.hitFold[best]]
            : d.maxWeight * (q.name.tokens[t].length <= 2 ? 0.6 : 1);
      tokEnd[t] = hits;
    }
    this.accumulate(m, hits, tokEnd);
    this.selectTop(m);
  }

  /**
   * The vocabulary folds similar to query token `t`, appended to the hit arrays from `hits` on; returns the new
   * end. Results are cached per written token across queries (the index never changes, and real query streams
   * repeat their tokens: LLC, Mohammed, Trading), so the edit distances run once per distinct token.
   */
  private lookupToken(q: PreparedQuery, t: number, hits: number): number {
    const raw = q.name.tokens[t];
    const cached = this.tokenCache.get(raw);
    if (cached !== undefined) return this.copyHits(t, hits, this.cacheArena, cached);
    const known = this.knownTokens.get(raw);
    if (known !== undefined) return this.copyHits(t, hits, this.knownArena, known);
    const start = hits;
    hits = this.searchToken(t, raw, q.name.folds[t], q.keys[t], q.typoKeys[t], hits);
    this.remember(raw, start, hits);
    return hits;
  }

  /** Appends the hits kept at `at` in an arena (length first, then the hits) and tells the comparer of them. */
  private copyHits(t: number, hits: number, arena: HitArena, at: number): number {
    const { fold, sim, note } = arena;
    const n = fold[at];
    for (let i = at + 1; i <= at + n && hits < MAX_HITS; i++) {
      this.cmp.remember(t, fold[i], sim[i], note[i]);
      this.hitFold[hits] = fold[i];
      this.hitSim[hits] = sim[i];
      hits++;
    }
    return hits;
  }

  /** Runs the edit distances of query token `t` against the folds its keys reach; appends the similar ones. */
  private searchToken(
    t: number,
    raw: string,
    fold: string,
    keys: readonly string[],
    typos: readonly string[],
    hits: number,
  ): number {
    const d = this.d;
    this.stamp++;
    const known = d.foldIds.has(fold);
    for (let pass = 0; pass < (known ? 1 : 2); pass++) {
      for (const key of pass === 0 ? keys : typos) {
        const keyId = d.keyIds.get(key);
        if (keyId === undefined) continue;
        for (let k = d.keyStart[keyId]; k < d.keyStart[keyId + 1] && hits < MAX_HITS; k++) {
          const f = d.keyFolds[k];
          if (this.foldStamp[f] === this.stamp) continue;
          this.foldStamp[f] = this.stamp;
          const text = d.foldText[f];
          const sim = this.cmp.foldSimilarity(t, raw, fold, f, text);
          if (sim < PAIR_THRESHOLD) continue;
          this.hitFold[hits] = f;
          this.hitSim[hits] = sim;
          this.hitNote[hits] = this.cmp.note;
          hits++;
        }
      }
    }
    return hits;
  }

  /**
   * Copies hits start..end into the cache arena (length first, then the hits). When the arena is full the
   * whole cache starts over: simpler than eviction, and the arena is sized for tens of thousands of tokens.
   */
  private remember(raw: string, start: number, end: number): void {
    const arena = this.cacheArena;
    const n = end - start;
    if (n + 1 > CACHE_ARENA_MAX) return;
    while (arena.used + n + 1 > arena.fold.length) {
      if (arena.fold.length >= CACHE_ARENA_MAX) {
        this.tokenCache.clear();
        arena.used = 0;
        break;
      }
      arena.grow();
    }
    this.tokenCache.set(raw, arena.append(this.hitFold, this.hitSim, this.hitNote, start, end));
  }

  private accumulate(m: number, hits: number, tokEnd: Uint16Array): void {
    const d = this.d;
    // Rare tokens first: their short posting lists seed the candidates that common tokens then only boost.
    const order = this.tokOrder;
    for (let t = 0; t < m; t++) {
      let k = t;
      while (k > 0 && this.queryWeights[order[k - 1]] < this.queryWeights[t]) {
        order[k] = order[k - 1];
        k--;
      }
      order[k] = t;
    }
    // Pair mode needs two common tokens: a lone one ("Muhammad", or beside rare ones) is searched as before.
    let commonTokens = 0;
    if (this.pairAcc !== null) {
      for (let t = 0; t < m; t++) {
        this.common[t] = this.isCommonToken(t === 0 ? 0 : tokEnd[t - 1], Math.min(tokEnd[t], hits)) ? 1 : 0;
        commonTokens += this.common[t];
      }
      if (commonTokens >= 2) this.startPairs(m);
    }
    let commonLeft = commonTokens;
    for (let o = 0; o < m; o++) {
      const t = order[o];
      const from = t === 0 ? 0 : tokEnd[t - 1];
      // Decided per token, not per similar fold: every spelling of one token (Ahmed, Ahmad) seeds alike.
      const seeded = this.touchedCount >= SEEDED_ENOUGH;
      if (this.common[t] === 1) commonLeft--;
      if (!seeded && commonTokens >= 2 && this.common[t] === 1) {
        for (let h = from; h < tokEnd[t] && h < hits; h++) {
          const f = this.hitFold[h];
          if (d.postStart[f + 1] - d.postStart[f] > LARGE_POSTING && this.hitSim[h] < LOOSE_SIMILARITY) continue;
          this.pairs(t, d.postStart[f], d.postStart[f + 1], d.foldWeight[f] * this.hitSim[h], commonLeft === 0);
        }
        continue;
      }
      for (let h = from; h < tokEnd[t] && h < hits; h++) {
        const f = this.hitFold[h];
        const add = d.foldWeight[f] * this.hitSim[h];
        const s = d.postStart[f];
        const e = d.postStart[f + 1];
        if (e - s > LARGE_POSTING && this.hitSim[h] < LOOSE_SIMILARITY) continue;
        if (e - s > LARGE_POSTING && this.touchedCount > 0 && (seeded || this.touchedCount * 16 < e - s))
          this.boost(s, e, add);
        else this.traverse(s, e, add);
      }
    }
  }

  private isCommonToken(from: number, to: number): boolean {
    const d = this.d;
    let total = 0;
    let largest = 0;
    for (let h = from; h < to; h++) {
      const len = d.postStart[this.hitFold[h] + 1] - d.postStart[this.hitFold[h]];
      total += len;
      if (len > largest) largest = len;
    }
    return total > COMMON_TOKEN_POSTINGS && largest > LARGE_POSTING;
  }

  /** Empty bitmaps for the common tokens of this query (allocated on first use, then cleared per query). */
  private startPairs(m: number): void {
    const words = this.touchedBits!.length;
    this.pairTokenCount = 0;
    for (let t = 0; t < m; t++) {
      if (this.common[t] !== 1) continue;
      const bits = this.tokenBits[t];
      if (bits === null) this.tokenBits[t] = new Uint32Array(words);
      else bits.fill(0);
      this.pairTokens[this.pairTokenCount++] = t;
    }
    this.touchedBitsUpTo = 0;
  }

  /**
   * Posting list s..e of common token t in pair mode: a touched name is boosted; an untouched one is remembered with
   * its first common token and touched when a second, different token meets it (with both weights). The last common
   * token of the query remembers nothing: no token after it could pair a name with it.
   */
  private pairs(t: number, s: number, e: number, add: number, last: boolean): void {
    const acc = this.acc;
    const pacc = this.pairAcc!;
    const touchedBits = this.touchedBits!;
    const mine = this.tokenBits[t]!;
    const post = this.d.postNames;
    this.syncTouchedBits();
    const others = this.otherBits;
    let otherCount = 0;
    for (let k = 0; k < this.pairTokenCount; k++)
      if (this.pairTokens[k] !== t) others[otherCount++] = this.tokenBits[this.pairTokens[k]]!;
    for (let p = s; p < e; p++) {
      const n = post[p];
      const w = n >>> 5;
      const bit = 1 << (n & 31);
      if ((touchedBits[w] & bit) !== 0) {
        acc[n] += add;
        continue;
      }
      if (!last && (mine[w] & bit) !== 0) {
        pacc[n] += add;
        continue;
      }
      let other = false;
      for (let k = 0; k < otherCount; k++) {
        if ((others[k][w] & bit) !== 0) {
          other = true;
          break;
        }
      }
      if (!other) {
        if (!last) {
          mine[w] |= bit;
          pacc[n] = add;
        }
        continue;
      }
      touchedBits[w] |= bit;
      this.touched[this.touchedCount++] = n;
      acc[n] = pacc[n] + add;
    }
    this.touchedBitsUpTo = this.touchedCount;
  }

  /** Sets the touched bitmap's bits for the names touched since it was last brought up to date (or ever, this query). */
  private syncTouchedBits(): void {
    const touchedBits = this.touchedBits!;
    for (let i = Math.max(0, this.touchedBitsUpTo); i < this.touchedCount; i++) {
      const n = this.touched[i];
      touchedBits[n >>> 5] |= 1 << (n & 31);
    }
    this.touchedBitsUpTo = this.touchedCount;
  }

  private traverse(s: number, e: number, add: number): void {
    const acc = this.acc;
    const post = this.d.postNames;
    for (let p = s; p < e; p++) {
      const n = post[p];
      if (acc[n] === 0) this.touched[this.touchedCount++] = n;
      acc[n] += add;
    }
  }

  /**
   * Adds to names already touched that appear in the (sorted) posting list: when they are many beside the list, by
   * one pass over it (a touched name has a non-zero accumulator: every add is positive); else by walking the touched
   * names in ascending order through the list, each found by galloping on from the last one. The walk reads the
   * list front to back in short hops, where a binary search per name would jump all over it.
   */
  private boost(s: number, e: number, add: number): void {
    const post = this.d.postNames;
    const acc = this.acc;
    const k = this.touchedCount;
    if (k * 4 > e - s) {
      const bits = this.touchedBits;
      if (bits !== null) {
        // The same test on the touched bitmap (a bit per name, in cache) instead of the accumulator (4 bytes per name,
        // not): over a posting list of a million names out of five million, the pass reads 0.6 MB instead of 20 MB.
        this.syncTouchedBits();
        for (let p = s; p < e; p++) {
          const n = post[p];
          if ((bits[n >>> 5] & (1 << (n & 31))) !== 0) acc[n] += add;
        }
        return;
      }
      for (let p = s; p < e; p++) {
        const n = post[p];
        if (acc[n] !== 0) acc[n] += add;
      }
      return;
    }
    const sorted = this.sortedTouched();
    let pos = s;
    for (let i = 0; i < k; i++) {
      const n = sorted[i];
      if (post[pos] < n) {
        // post[lo] < n; the first entry >= n, if any, lies in (lo, hi].
        let lo = pos;
        let step = 1;
        while (pos + step < e && post[pos + step] < n) {
          lo = pos + step;
          step *= 2;
        }
        let hi = Math.min(pos + step, e - 1);
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (post[mid] < n) lo = mid + 1;
          else hi = mid;
        }
        if (post[lo] < n) return; // every later touched name is past the end of the list
        pos = lo;
      }
      if (post[pos] === n) {
        acc[n] += add;
        if (++pos === e) return;
      }
    }
  }

  /** The touched names in ascending order, sorted again only when names were touched since the last call. */
  private sortedTouched(): Uint32Array {
    const k = this.touchedCount;
    if (this.sortedCount !== k) {
      if (this.sorted.length < k) this.sorted = new Uint32Array(Math.min(this.d.nameCount, k * 2));
      this.sorted.set(this.touched.subarray(0, k));
      this.sorted.subarray(0, k).sort();
      this.sortedCount = k;
    }
    return this.sorted;
  }

  private selectTop(m: number): void {
    const d = this.d;
    let qW = 0;
    for (let t = 0; t < m; t++) qW += this.queryWeights[t];
    this.topCount = 0;
    for (let i = 0; i < this.touchedCount; i++) {
      const n = this.touched[i];
      const rank = (2 * this.acc[n]) / (qW + d.nameWeight[n]);
      this.acc[n] = 0;
      if (rank < MIN_RANK) continue;
      this.insertTop(n, rank);
    }
    if (this.touchedBitsUpTo >= 0) {
      // Every bit set belongs to a touched name: clearing their words clears the bitmap.
      for (let i = 0; i < this.touchedCount; i++) this.touchedBits![this.touched[i] >>> 5] = 0;
      this.touchedBitsUpTo = -1;
    }
    this.touchedCount = 0;
    this.sortedCount = 0;
  }

  /** Keeps `top` sorted by rank, best first; CANDIDATES_PER_LIST is small, so insertion beats a heap. */
  private insertTop(n: number, rank: number): void {
    let pos = this.topCount;
    if (pos === CANDIDATES_PER_LIST) {
      if (rank <= this.topRank[pos - 1]) return;
      pos--;
    } else {
      this.topCount++;
    }
    while (pos > 0 && this.topRank[pos - 1] < rank) {
      this.top[pos] = this.top[pos - 1];
      this.topRank[pos] = this.topRank[pos - 1];
      pos--;
    }
    this.top[pos] = n;
    this.topRank[pos] = rank;
  }
}

/** Hit lists one after another in typed arrays: at each list's offset its length, then its folds, similarities, notes. */
class HitArena {
  fold: Uint32Array;
  sim: Float32Array;
  note: Uint8Array;
  used = 0;

  constructor(size: number) {
    this.fold = new Uint32Array(size);
    this.sim = new Float32Array(size);
    this.note = new Uint8Array(size);
  }

  /** Doubles the arena until `slots` more fit. */
  reserve(slots: number): void {
    while (this.used + slots > this.fold.length) this.grow();
  }

  grow(): void {
    this.resize(Math.max(this.fold.length * 2, 1 << 14));
  }

  /** Drops the room left at the end. */
  trim(): void {
    this.resize(this.used);
  }

  /** Copies hits start..end of the given arrays in (the caller made room); returns their offset. */
  append(fold: Uint32Array, sim: Float32Array, note: Uint8Array, start: number, end: number): number {
    const at = this.used;
    this.fold[at] = end - start;
    this.fold.set(fold.subarray(start, end), at + 1);
    this.sim.set(sim.subarray(start, end), at + 1);
    this.note.set(note.subarray(start, end), at + 1);
    this.used += end - start + 1;
    return at;
  }

  private resize(size: number): void {
    const fold = new Uint32Array(size);
    fold.set(this.fold.subarray(0, Math.min(this.used, size)));
    const sim = new Float32Array(size);
    sim.set(this.sim.subarray(0, Math.min(this.used, size)));
    const note = new Uint8Array(size);
    note.set(this.note.subarray(0, Math.min(this.used, size)));
    this.fold = fold;
    this.sim = sim;
    this.note = note;
  }
}
