import { foldToken } from './fold';
import { normalizeName } from './normalize';
import { TOKEN_NOTE_TEXT, TokenComparer } from './token-similarity';

const cmp = new TokenComparer();

function compare(a: string, b: string): { sim: number; note: string } {
  const ra = normalizeName(a);
  const rb = normalizeName(b);
  const sim = cmp.similarity(ra, foldToken(ra), rb, foldToken(rb));
  return { sim, note: TOKEN_NOTE_TEXT[cmp.note] };
}

describe('TokenComparer.similarity', () => {
  it('scores identical tokens 1 (exact), also across scripts', () => {
    expect(compare('Putin', 'PUTIN')).toEqual({ sim: 1, note: 'exact' });
    expect(compare('Путин', 'Putin')).toEqual({ sim: 1, note: 'exact' });
  });

  it.each([
    ['Dmitry', 'Dmitrii'],
    ['Yuryevich', 'Yurevich'],
    ['ZHURAVLEVA', 'ZJURAVLEVA'],
    ['ЖУРАВЛЕВА', 'Zjuravleva'],
    ['Soyko', 'Sojko'],
    ['Khoroshev', 'Horoshev'],
    ['Aleksandr', 'Oleksandr'],
    ['Zakharov', 'Zacharov'],
    ['Vyacheslavovich', 'Vjačeslavovič'],
    ['Zharov', 'Jarov'],
    ['Alimzhan', 'Alimjan'],
  ])('%s ~ %s is a transliteration (>= 0.9)', (a, b) => {
    const r = compare(a, b);
    expect(r.note).toBe('transliteration');
    expect(r.sim).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the Ukrainian form of a name close (Sergey / Serhii)', () => {
    expect(compare('Sergey', 'Serhii').sim).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    ['Khoroshev', 'Khoroshov'],
    ['Kalashnikov', 'Kalashnikow2'],
    ['Nasrallah', 'Nasralah'],
    ['Ricardo', 'Riardo'],
  ])('%s ~ %s is a typo (0.75..0.95)', (a, b) => {
    const r = compare(a, b);
    if (r.note === 'transliteration') return; // a cheap edit is allowed to count as spelling variance
    expect(r.note).toBe('typo');
    expect(r.sim).toBeGreaterThanOrEqual(0.75);
    expect(r.sim).toBeLessThan(0.95);
  });

  it.each([
    ['Zakharov', 'Zakharova'],
    ['ZHUKOVSKY', 'Zhukovskaya'],
    ['Kuzmin', 'Kuzmina'],
    ['SOYKO', 'СОЙКА'],
    ['Aleksandr', 'Aleksandra'],
    ['Tolstoy', 'Tolstaya'],
  ])('%s ~ %s is a gendered form, weaker than a transliteration', (a, b) => {
    const r = compare(a, b);
    expect(r.note).toBe('gendered form');
    expect(r.sim).toBeGreaterThan(0.7);
    expect(r.sim).toBeLessThan(0.9);
  });

  it('pairs an initial weakly', () => {
    expect(compare('D', 'Dmitry')).toEqual({ sim: 0.7, note: 'initial' });
    expect(compare('S', 'Dmitry').sim).toBe(0);
  });

  it.each([
    ['Sergey', 'Andrey'],
    ['Nikita', 'Aleksandr'],
    ['Ali', 'Eli'],
    ['Ivan', 'Ilya'],
    ['Zakharov', 'Zhukov'],
  ])('%s and %s are different (below the pairing threshold)', (a, b) => {
    expect(compare(a, b).sim).toBeLessThan(0.75);
  });
});

describe('TokenComparer.distance', () => {
  it('charges cheap substitutions less than a full edit', () => {
    expect(cmp.distance('zaHarov', 'zaCarov')).toBeCloseTo(0.4);
    expect(cmp.distance('abc', 'abd')).toBe(1);
    expect(cmp.distance('abcd', 'abdc')).toBe(1);
  });

  it('stops early above the bound', () => {
    expect(cmp.distance('aaaaaaaa', 'zzzzzzzz', 1)).toBeGreaterThan(1);
  });
});
