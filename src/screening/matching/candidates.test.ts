/**
 * The similar folds of a list's own written tokens are computed when the index is built, so the first query after a
 * list activation runs no edit distance for them; tokens the list does not hold are still searched (and cached).
 */
import { loadUn } from '../../../test/support/fixture-lists';
import type { EntityEntry } from '../../domain/list-entry';
import { CandidateSearch } from './candidates';
import { EntityListIndex, PartyMatcher } from './index';

let un: EntityEntry[];
beforeAll(async () => {
  un = await loadUn();
});
afterEach(() => jest.restoreAllMocks());

function searchTokenCalls(): jest.SpyInstance {
  return jest.spyOn(CandidateSearch.prototype as unknown as { searchToken(): number }, 'searchToken');
}

describe('similar folds computed at build time (UN list)', () => {
  it('a query made of the list’s own tokens runs no token search, even with the cross-query cache emptied', async () => {
    for (const index of [
      EntityListIndex.build('un', '1', un),
      await EntityListIndex.buildSliced('un', '1', un, 4), // what a serving process uses
    ]) {
      const matcher = new PartyMatcher();
      matcher.setList(index);
      index.clearCaches();
      const spy = searchTokenCalls();
      const [match] = matcher.screen({ name: un[0].names[0] });
      expect(match?.entryId).toBe(un[0].entryId);
      expect(match?.score).toBe(1);
      for (const entry of un.slice(1, 200)) matcher.screen({ name: entry.names[0] });
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });

  it('a token the list does not hold is searched once, then comes from the cache', () => {
    const index = EntityListIndex.build('un', '1', un);
    const matcher = new PartyMatcher();
    matcher.setList(index);
    const spy = searchTokenCalls();
    const name = `${un[0].names[0]} Qzxwvutsrp`;
    const first = matcher.screen({ name });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(matcher.screen({ name })).toEqual(first);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('gives the same matches, scores and explanations as searching every token at query time', () => {
    const index = EntityListIndex.build('un', '1', un);
    const plain = EntityListIndex.build('un', '1', un);
    // The same index with what the build computed forgotten: every token is searched when the query meets it.
    (plain.search as unknown as { knownTokens: Map<string, number> }).knownTokens.clear();
    const a = new PartyMatcher();
    a.setList(index);
    const b = new PartyMatcher();
    b.setList(plain);
    const queries = un
      .flatMap((e) => e.names.slice(0, 2))
      .map((name) => ({ name: name.split(' ').reverse().join(' ') }));
    expect(queries.length).toBeGreaterThan(500);
    for (const q of queries) expect(a.screen(q)).toEqual(b.screen(q));
  });
});
