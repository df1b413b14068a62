/**
 * Screens a party against every loaded list: identifiers first (exact, decisive), then names (candidate
 * search, full scoring of the best candidates, best name per entry), then the country adjustment.
 */
import { LRUCache } from 'lru-cache';
import type { EntityListIndex } from './entity-list-index';
import { explainIdentifierMatch, explainNameMatch } from './explain';
import { identifierTypesCompatible } from './identifiers';
import { prepareQuery, type PreparedQuery } from './prepared-name';
import type { PartyMatch, PartyQuery, ScoreAdjustment, ScreenOptions } from './types';

export const DEFAULT_MIN_SCORE = 0.7;
export const DEFAULT_LIMIT = 20;
export const COUNTRY_AGREES = 0.02;
export const COUNTRY_DIFFERS = -0.04;
/** Candidates (best ranked first) whose token pairs outside the retrieval neighbourhood are also compared. */
const THOROUGH_CANDIDATES = 10;

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** A match before it is dressed up: explanations are built only for the matches returned. */
interface Hit {
  index: EntityListIndex;
  entry: number;
  /** Name id for name matches; -1 for identifier matches. */
  name: number;
  score: number;
  country: ScoreAdjustment | null;
  identifier?: { queryType: string; listType: string; value: string };
}

export interface PartyMatcherOptions {
  /**
   * Answers kept for repeated queries (0: none). Brokers declare the same importers, suppliers and consignees again
   * and again; the lists of one matcher never change under it (a new list version makes a new matcher, and setList
   * and removeList empty the cache), so a repeated query gets the very answer it got before.
   */
  cachedQueries?: number;
}

export class PartyMatcher {
  private readonly lists = new Map<string, EntityListIndex>();
  private readonly answers: LRUCache<string, readonly PartyMatch[]> | undefined;

  constructor(options: PartyMatcherOptions = {}) {
    if (options.cachedQueries) this.answers = new LRUCache({ max: options.cachedQueries });
  }

  /** Adds a list, or replaces the loaded version of the same list. */
  setList(index: EntityListIndex): void {
    this.lists.set(index.listId, index);
    this.answers?.clear();
  }

  removeList(listId: string): void {
    this.lists.delete(listId);
    this.answers?.clear();
  }

  listIds(): string[] {
    return [...this.lists.keys()];
  }

  /**
   * Matches best first, one per (list, entry). The answer is frozen (it may be handed out again for the same query):
   * a caller that wants to change a match copies it.
   */
  screen(query: PartyQuery, opts: ScreenOptions = {}): readonly PartyMatch[] {
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const limit = opts.limit ?? DEFAULT_LIMIT;
    if (this.answers === undefined) return freezeAnswer(this.match(query, minScore, limit));
    const key = queryKey(query, minScore, limit);
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = freezeAnswer(this.match(query, minScore, limit));
      this.answers.set(key, answer);
    }
    return answer;
  }

  /** How many answers the cache holds (diagnostics, tests). */
  get cachedAnswers(): number {
    return this.answers?.size ?? 0;
  }

  private match(query: PartyQuery, minScore: number, limit: number): PartyMatch[] {
    const q = prepareQuery(query);
    const hits: Hit[] = [];
    for (const index of this.lists.values()) {
      const byIdentifier = identifierHits(q, index);
      for (const h of byIdentifier.values()) hits.push(h);
      if (q.name.tokens.length > 0) nameHits(q, index, minScore, byIdentifier, hits);
    }
    hits.sort(
      (a, b) =>
        b.score - a.score ||
        a.index.listId.localeCompare(b.index.listId) ||
        a.index.data.entries[a.entry].entryId.localeCompare(b.index.data.entries[b.entry].entryId),
    );
    if (hits.length > limit) hits.length = limit;
    return hits.map((h) => toMatch(q, h));
  }
}

/**
 * Everything a query's answer depends on, besides the lists: the exact text of each field, and the options. JSON of an
 * array, so no text of one field can pass for another (two different queries never share a key).
 */
function queryKey(query: PartyQuery, minScore: number, limit: number): string {
  return JSON.stringify([
    minScore,
    limit,
    query.country ?? null,
    query.name,
    (query.identifiers ?? []).map((i) => [i.type, i.value]),
  ]);
}

/**
 * Freezes what the matcher built (the answer, each match, its explanation and the explanation's parts); the entry's
 * names, countries, programs and identifiers are the list index's own arrays, already shared by every answer.
 */
function freezeAnswer(matches: PartyMatch[]): readonly PartyMatch[] {
  for (const m of matches) {
    Object.freeze(m.entry);
    deepFreeze(m.explanation);
    Object.freeze(m);
  }
  return Object.freeze(matches);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

function identifierHits(q: PreparedQuery, index: EntityListIndex): Map<number, Hit> {
  const found = new Map<number, Hit>();
  const d = index.data;
  for (const qi of q.identifiers) {
    for (const packed of d.identifiers.get(qi.value) ?? []) {
      const e = Math.floor(packed / 256);
      const listId = d.entries[e].identifiers[packed % 256];
      if (found.has(e) || !identifierTypesCompatible(qi.type, listId.type)) continue;
      found.set(e, {
        index,
        entry: e,
        name: -1,
        score: 1,
        country: null,
        identifier: { queryType: qi.rawType, listType: listId.label ?? listId.type, value: qi.value },
      });
    }
  }
  return found;
}

function nameHits(
  q: PreparedQuery,
  index: EntityListIndex,
  minScore: number,
  skip: Map<number, Hit>,
  out: Hit[],
): void {
  const d = index.data;
  const { search, scorer } = index;
  search.search(q);
  const best = new Map<number, Hit>();
  for (let k = 0; k < search.topCount; k++) {
    const n = search.top[k];
    const e = d.nameEntry[n];
    if (skip.has(e)) continue;
    const s = scorer.score(q, search.queryWeights, d, n, k < THOROUGH_CANDIDATES);
    const prev = best.get(e);
    if (prev === undefined) best.set(e, { index, entry: e, name: n, score: s, country: null });
    // Ties go to the earlier name of the entry (the primary name comes first).
    else if (s > prev.score || (s === prev.score && n < prev.name)) {
      prev.name = n;
      prev.score = s;
    }
  }
  for (const hit of best.values()) {
    // The most a country can add: a candidate that stays under minScore even with it is dropped before the lookup.
    if (r4(Math.min(1, hit.score + COUNTRY_AGREES)) < minScore) continue;
    hit.country = countryAdjustment(q.country, index, hit.entry);
    hit.score = r4(Math.min(1, Math.max(0, hit.score + (hit.country?.delta ?? 0))));
    if (hit.score >= minScore) out.push(hit);
  }
}

function toMatch(q: PreparedQuery, h: Hit): PartyMatch {
  const { index } = h;
  const d = index.data;
  const entry = d.entries[h.entry];
  if (h.identifier !== undefined) {
    const name = entry.names[0] ?? '';
    const { queryType, listType, value } = h.identifier;
    return {
      ...matchBase(index, h.entry, name, 1, 'identifier'),
      explanation: explainIdentifierMatch(q, name, queryType, listType, value),
    };
  }
  // Re-score the winning name so the scorer's arrays describe it (the comparer cache still holds this query).
  index.scorer.score(q, index.search.queryWeights, d, h.name, true);
  return {
    ...matchBase(index, h.entry, entry.names[d.nameAlias[h.name]], h.score, 'name'),
    explanation: explainNameMatch(q, index.search.queryWeights, d, h.name, index.scorer, h.country, h.score),
  };
}

function matchBase(index: EntityListIndex, e: number, name: string, score: number, kind: 'name' | 'identifier') {
  const entry = index.data.entries[e];
  return {
    listId: index.listId,
    versionId: index.versionId,
    entryId: entry.entryId,
    matchedName: name,
    score,
    matchKind: kind,
    entry: {
      kind: entry.kind,
      names: entry.names,
      countries: entry.countries,
      programs: entry.programs,
      identifiers: entry.identifiers,
    },
  };
}

/** Only when both sides name countries: agreement is weak evidence for, disagreement weak evidence against. */
function countryAdjustment(
  queryCountry: string | undefined,
  index: EntityListIndex,
  e: number,
): ScoreAdjustment | null {
  if (queryCountry === undefined) return null;
  const codes = index.countryCodes(e);
  if (codes.length === 0) return null;
  return codes.includes(queryCountry)
    ? { reason: `country ${queryCountry} agrees`, delta: COUNTRY_AGREES }
    : { reason: `country ${queryCountry} not among ${codes.join(', ')}`, delta: COUNTRY_DIFFERS };
}
