import type { EntityEntry } from '../../domain/list-entry';
import { CANDIDATES_PER_LIST } from './candidates';
import { EntityListIndex, PartyMatcher } from './index';

function entry(entryId: string, names: string[], extra: Partial<EntityEntry> = {}): EntityEntry {
  return { entryId, kind: 'person', names, countries: [], programs: ['TEST'], identifiers: [], ...extra };
}

const ENTRIES: EntityEntry[] = [
  entry('1', ['KHOROSHEV, Dmitry Yuryevich', 'KHOROSHEV, Dmitriy Yurevich', 'LOCKBITSUPP'], { countries: ['RU'] }),
  entry('2', ['ZAKHAROV, Aleksandr Vyacheslavovich'], { countries: ['RU'] }),
  entry('3', ['ZAKHAROVA, Mariya Aleksandrovna'], { countries: ['RU'] }),
  entry('4', ['OOO "Romashka"', 'Romashka LLC'], { kind: 'organization', countries: ['RU'] }),
  entry('5', ['Ivan Petrov'], { countries: ['KZ'] }),
  entry('6', ['Petr Ivanov'], { countries: ['KZ'] }),
  entry('7', ['Mohammed Ali Hassan'], { countries: ['IQ'] }),
  entry('8', ['Mohammed Hassan'], { countries: ['SY'] }),
  entry('9', ['Ali Mohammed'], { countries: ['YE'] }),
  entry('10', ['Mohammed Yusuf'], { countries: ['SO'] }),
];

function matcherWith(entries: EntityEntry[] = ENTRIES, versionId = 'v1'): PartyMatcher {
  const m = new PartyMatcher();
  m.setList(EntityListIndex.build('test', versionId, entries));
  return m;
}

describe('PartyMatcher.screen', () => {
  it('returns one match per entry, best first, within minScore and limit', () => {
    const m = matcherWith();
    const all = m.screen({ name: 'Dmitry Khoroshev' }, { minScore: 0 });
    expect(all.filter((x) => x.entryId === '1')).toHaveLength(1);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].score).toBeGreaterThanOrEqual(all[i].score);
    expect(m.screen({ name: 'Mohammed Hassan' }, { minScore: 0, limit: 2 })).toHaveLength(2);
    expect(m.screen({ name: 'Mohammed Hassan' }, { minScore: 0.99 }).map((x) => x.entryId)).toEqual(['8']);
  });

  it('rounds scores to 4 decimals and fills the entry', () => {
    const [top] = matcherWith().screen({ name: 'Dmitri Khoroshev' });
    expect(top.score).toBe(Math.round(top.score * 10000) / 10000);
    expect(top).toMatchObject({ listId: 'test', versionId: 'v1', entryId: '1', matchKind: 'name' });
    expect(top.entry).toMatchObject({ kind: 'person', countries: ['RU'], programs: ['TEST'] });
  });

  it('prefers the alias that matches best and reports it', () => {
    const [top] = matcherWith().screen({ name: 'Dmitriy Yurevich Khoroshev' });
    expect(top.matchedName).toBe('KHOROSHEV, Dmitriy Yurevich');
    expect(top.score).toBe(1);
  });

  it('swaps and removes list versions', () => {
    const m = matcherWith();
    m.setList(EntityListIndex.build('test', 'v2', ENTRIES.slice(0, 3)));
    expect(m.screen({ name: 'Ivan Petrov' }, { minScore: 0.85 })).toEqual([]);
    expect(m.screen({ name: 'Dmitry Khoroshev' })[0].versionId).toBe('v2');
    m.removeList('test');
    expect(m.screen({ name: 'Dmitry Khoroshev' })).toEqual([]);
  });

  it('handles empty names and names made only of punctuation', () => {
    const m = matcherWith();
    expect(m.screen({ name: '' })).toEqual([]);
    expect(m.screen({ name: '--- ,,, ' })).toEqual([]);
    expect(EntityListIndex.build('x', '1', [entry('e', ['', '...'])]).nameCount).toBe(0);
  });

  it('does not confuse swapped given name and surname of two different people', () => {
    const r = matcherWith().screen({ name: 'Ivan Petrov' }, { minScore: 0.85 });
    expect(r.map((x) => x.entryId)).toEqual(['5']);
  });

  it('keeps a lone common given name out of the review band', () => {
    expect(matcherWith().screen({ name: 'Mohammed' }, { minScore: 0.85 })).toEqual([]);
  });

  it('never lets a lone one- or two-letter token reach the review band, even when it is a whole listed name', () => {
    const m = matcherWith([...ENTRIES, entry('li', ['LI']), entry('k', ['K.'])]);
    expect(m.screen({ name: 'Li' }, { minScore: 0 }).find((x) => x.entryId === 'li')?.score).toBe(0.6);
    expect(m.screen({ name: 'K' }, { minScore: 0.85 })).toEqual([]);
  });
});

describe('explanation', () => {
  it('shows the token table, omitted patronymic, legal forms and adjustments', () => {
    const m = matcherWith();
    const [top] = m.screen({ name: 'Dmitri Khoroshev', country: 'RU' });
    const e = top.explanation;
    expect(e.queryName).toBe('Dmitri Khoroshev');
    expect(e.normalizedQuery).toBe('dmitri khoroshev');
    expect(e.tokens).toContainEqual(
      expect.objectContaining({ queryToken: 'khoroshev', listToken: 'khoroshev', note: 'exact', similarity: 1 }),
    );
    expect(e.tokens).toContainEqual(expect.objectContaining({ queryToken: 'dmitri', note: 'transliteration' }));
    expect(e.tokens).toContainEqual(expect.objectContaining({ queryToken: null, note: 'missing', role: 'patronymic' }));
    expect(e.adjustments).toContainEqual({ reason: 'country RU agrees', delta: 0.02 });
    expect(e.summary).toContain('"Dmitri Khoroshev" ~ "KHOROSHEV, Dmitry Yuryevich"');
    expect(e.summary).toContain('country RU agrees +0.02');
  });

  it('records legal forms of both sides', () => {
    const [top] = matcherWith().screen({ name: 'ТОО Ромашка' });
    expect(top.entryId).toBe('4');
    expect(top.score).toBe(1);
    expect(top.explanation.legalFormsIgnored.query).toEqual(['too']);
    expect(top.explanation.legalFormsIgnored.list.length).toBe(1);
    expect(top.explanation.summary).toMatch(/legal forms ignored: too, /);
  });

  it('notes gendered forms and typos', () => {
    const m = matcherWith();
    const g = m.screen({ name: 'Mariya Aleksandrovna Zakharov' }, { minScore: 0 }).find((x) => x.entryId === '3');
    expect(g?.explanation.tokens).toContainEqual(
      expect.objectContaining({ queryToken: 'zakharov', note: 'gendered form' }),
    );
    const t = m.screen({ name: 'Aleksandr Vyacheslavovich Zakharpv' }, { minScore: 0 }).find((x) => x.entryId === '2');
    expect(t?.explanation.tokens).toContainEqual(expect.objectContaining({ queryToken: 'zakharpv', note: 'typo' }));
    expect(t?.score).toBeGreaterThanOrEqual(0.85);
  });

  it('explains a cap on a single common token', () => {
    const r = matcherWith([
      ...ENTRIES,
      ...Array.from({ length: 30 }, (_, i) => entry(`x${i}`, [`Mohammed Person${i}`])),
    ]).screen({ name: 'Mohammed' }, { minScore: 0 });
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((x) => x.score <= 0.75)).toBe(true);
  });
});

describe('candidate generation', () => {
  it('scores only the best candidates, not every name', () => {
    const entries: EntityEntry[] = [];
    for (let i = 0; i < 20000; i++) entries.push(entry(`s${i}`, [`Mohammed Person${i % 500} Family${i}`]));
    entries.push(entry('target', ['Mohammed Khoroshev']));
    const index = EntityListIndex.build('big', '1', entries);
    const m = new PartyMatcher();
    m.setList(index);
    let scored = 0;
    const score = index.scorer.score.bind(index.scorer);
    index.scorer.score = (...args: Parameters<typeof score>) => {
      scored++;
      return score(...args);
    };
    const r = m.screen({ name: 'Mohammed Khoroshev' });
    expect(r[0].entryId).toBe('target');
    expect(scored).toBeLessThanOrEqual(CANDIDATES_PER_LIST + 20);
  });

  it('keeps the index compact: typed arrays and interned tokens', () => {
    const index = EntityListIndex.build('t', '1', ENTRIES);
    expect(index.data.nameTokens).toBeInstanceOf(Uint32Array);
    expect(index.data.postNames).toBeInstanceOf(Uint32Array);
    expect(index.vocabularySize.tokens).toBeLessThan(40);
    expect(index.size).toBe(ENTRIES.length);
  });
});
