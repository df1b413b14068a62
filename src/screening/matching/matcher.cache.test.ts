/**
 * The matcher's answer cache (MATCH_CACHE_QUERIES): a repeated query gets exactly the answer the lists give it, the
 * cache never outlives the lists it was filled from, and it stays within its bound. Real data: the UN list's names.
 */
import { loadUn } from '../../../test/support/fixture-lists';
import type { EntityEntry } from '../../domain/list-entry';
import { EntityListIndex, PartyMatcher, type PartyQuery } from './index';

let un: EntityEntry[];
let index: EntityListIndex;

beforeAll(async () => {
  un = await loadUn();
  index = EntityListIndex.build('un', '2026-02-27', un);
}, 120_000);

function matcherWith(cachedQueries: number, ...indexes: EntityListIndex[]): PartyMatcher {
  const m = new PartyMatcher({ cachedQueries });
  for (const i of indexes) m.setList(i);
  return m;
}

/** Every UN name once, reordered, plus spellings the list does not hold: queries that match and queries that do not. */
function queries(): PartyQuery[] {
  const out: PartyQuery[] = [];
  un.forEach((e, i) => {
    const name = e.names[0];
    out.push({ name, country: i % 3 === 0 ? e.countries[0] : undefined });
    out.push({ name: name.split(/\s+/).reverse().join(' '), country: i % 5 === 0 ? 'KZ' : undefined });
  });
  out.push({ name: 'Steppe Logistics LLP', country: 'KZ' }, { name: 'Aigerim Abenova' });
  return out;
}

describe('the matcher answer cache', () => {
  it('answers every query, asked once and again, exactly as the matcher without a cache does', () => {
    const plain = matcherWith(0, index);
    const cached = matcherWith(100_000, index);
    const qs = queries();
    const expected = qs.map((q) => JSON.stringify(plain.screen(q, { minScore: 0.5, limit: 5 })));
    const first = qs.map((q) => JSON.stringify(cached.screen(q, { minScore: 0.5, limit: 5 })));
    const again = qs.map((q) => JSON.stringify(cached.screen(q, { minScore: 0.5, limit: 5 })));
    expect(first).toEqual(expected);
    expect(again).toEqual(expected);
    expect(expected.filter((a) => a !== '[]').length).toBeGreaterThan(1000);
    expect(cached.cachedAnswers).toBe(new Set(qs.map((q) => JSON.stringify(q))).size);
  });

  it('keeps one answer per query text, country, identifiers and options', () => {
    const m = matcherWith(1000, index);
    const name = un.find((e) => e.countries.length > 0)!.names[0];
    const a = m.screen({ name }, { minScore: 0.7, limit: 5 });
    expect(m.screen({ name }, { minScore: 0.7, limit: 5 })).toBe(a);
    expect(a.length).toBeGreaterThan(0);
    const variants = [
      m.screen({ name }, { minScore: 0.8, limit: 5 }),
      m.screen({ name }, { minScore: 0.7, limit: 1 }),
      m.screen({ name, country: 'KZ' }, { minScore: 0.7, limit: 5 }),
      m.screen({ name, identifiers: [{ type: 'PASSPORT', value: 'X1' }] }, { minScore: 0.7, limit: 5 }),
      m.screen({ name: name.toLowerCase() }, { minScore: 0.7, limit: 5 }),
    ];
    for (const v of variants) expect(v).not.toBe(a);
    expect(m.cachedAnswers).toBe(6);
    // The country changes the score: a cached answer for one country is never given for another.
    expect(variants[2][0].score).not.toBe(a[0].score);
  });

  it('never takes the text of one field for another (no two queries share an answer)', () => {
    const listed = un.find((e) => e.identifiers.length > 0)!;
    const id = listed.identifiers[0];
    const m = matcherWith(1000, index);
    const plain = matcherWith(0, index);
    // A name that holds, in characters no field normally has, what the key of the identifier query would look like.
    const queries: PartyQuery[] = [
      { name: `Unlisted Party\u0001${id.type}\u0002${id.value}` },
      { name: `Unlisted Party","${id.type}` },
      { name: 'Unlisted Party', country: 'KZ' },
      { name: 'Unlisted Party', identifiers: [{ type: id.type, value: id.value }] },
      { name: 'Unlisted Party', identifiers: [{ type: id.type, value: `${id.value}","x` }] },
    ];
    for (const q of queries) m.screen(q, { minScore: 0.7, limit: 5 });
    expect(m.cachedAnswers).toBe(queries.length);
    for (const q of queries)
      expect(JSON.stringify(m.screen(q, { minScore: 0.7, limit: 5 }))).toBe(
        JSON.stringify(plain.screen(q, { minScore: 0.7, limit: 5 })),
      );
    // The identifier query is the one that finds the listed entry.
    expect(m.screen(queries[3], { minScore: 0.7, limit: 5 }).map((x) => x.entryId)).toContain(listed.entryId);
  });

  it('hands out frozen answers: a caller cannot change what the next caller gets', () => {
    const m = matcherWith(1000, index);
    const name = un[0].names[0];
    const a = m.screen({ name }, { minScore: 0.7, limit: 5 });
    expect(() => (a as unknown as unknown[]).push(1)).toThrow(TypeError);
    expect(() => {
      (a[0] as { score: number }).score = 0;
    }).toThrow(TypeError);
    expect(() => {
      (a[0].explanation.adjustments as unknown[]).push({ reason: 'x', delta: 1 });
    }).toThrow(TypeError);
    expect(() => {
      (a[0].explanation.tokens[0] as { similarity: number }).similarity = 0;
    }).toThrow(TypeError);
    expect(m.screen({ name }, { minScore: 0.7, limit: 5 })[0].score).toBe(1);
  });

  it('forgets every answer when a list is added, replaced or removed', () => {
    const target = un[0];
    const name = target.names[0];
    const m = matcherWith(1000);
    expect(m.screen({ name })).toEqual([]);
    m.setList(index);
    expect(m.screen({ name }).map((x) => x.entryId)).toContain(target.entryId);
    // A new version of the list without the entry.
    m.setList(EntityListIndex.build('un', 'next', un.slice(1)));
    expect(m.screen({ name }).map((x) => x.entryId)).not.toContain(target.entryId);
    m.setList(index);
    expect(m.screen({ name }).map((x) => x.entryId)).toContain(target.entryId);
    m.removeList('un');
    expect(m.screen({ name })).toEqual([]);
  });

  it('holds at most the configured number of answers, dropping the least recently used', () => {
    const m = matcherWith(50, index);
    const names = un.slice(0, 200).map((e) => e.names[0]);
    const kept = m.screen({ name: names[0] });
    for (const [i, name] of names.entries()) {
      m.screen({ name });
      if (i % 10 === 0) expect(m.screen({ name: names[0] })).toBe(kept); // used often: stays
      expect(m.cachedAnswers).toBeLessThanOrEqual(50);
    }
    expect(m.cachedAnswers).toBe(50);
    expect(m.screen({ name: names[0] })).toBe(kept);
    expect(m.screen({ name: names[1] })).toEqual(matcherWith(0, index).screen({ name: names[1] }));
  });

  it('keeps nothing by default', () => {
    const m = new PartyMatcher();
    m.setList(index);
    const name = un[0].names[0];
    expect(m.screen({ name })).not.toBe(m.screen({ name }));
    expect(m.cachedAnswers).toBe(0);
  });
});
