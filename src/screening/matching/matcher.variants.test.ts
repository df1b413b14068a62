/**
 * The spelling variants of DOMAIN.md ("Name matching facts"), screened against one-name list entries sitting in
 * the full 2019 OFAC SDN list, so token rarity is as in production. Thresholds are the product's bands:
 * >= 0.95 strong, >= 0.85 review.
 */
import { loadOfac } from '../../../test/support/fixture-lists';
import type { EntityEntry } from '../../domain/list-entry';
import { EntityListIndex, PartyMatcher, type PartyMatch } from './index';

function person(entryId: string, name: string, countries: string[] = []): EntityEntry {
  return { entryId, kind: 'person', names: [name], countries, programs: ['TEST'], identifiers: [] };
}

const DOMAIN_ENTRIES: EntityEntry[] = [
  person('D-KHOROSHEV', 'KHOROSHEV, Dmitry Yuryevich', ['RU']),
  person('D-ZHURAVLEVA', 'Tatyana Vladimirovna ZHURAVLEVA'),
  person('D-SOYKO', 'Victor Vladimirovich SOYKO', ['BY']),
  person('D-ZAKHAROV', 'ZAKHAROV, Aleksandr Vyacheslavovich', ['RU']),
  person('D-PUTIN', 'Vladimir PUTIN', ['RU']),
];

let matcher: PartyMatcher;

// Parsing and indexing the whole 2019 SDN list (with its addresses) is a fixture, not a timed claim: allow a busy machine.
beforeAll(async () => {
  const sdn = await loadOfac('ofac-sdn-2019');
  matcher = new PartyMatcher();
  matcher.setList(EntityListIndex.build('sdn-plus-domain', 'test', [...sdn, ...DOMAIN_ENTRIES]));
}, 120_000);

function scoreOf(name: string, entryId: string): { score: number; match?: PartyMatch } {
  const match = matcher.screen({ name }, { minScore: 0, limit: 50 }).find((m) => m.entryId === entryId);
  return { score: match?.score ?? 0, match };
}

describe('same person, other spelling: strong band (>= 0.95)', () => {
  it.each([
    ['Владимир Путин', 'D-PUTIN'],
    ['Vladimir Putin', 'D-PUTIN'],
    ['PUTIN, Vladimir', 'D-PUTIN'],
    ['Dmitriy Yurevich KHOROSHEV', 'D-KHOROSHEV'],
    ['KHOROSHEV, Dmitrii Yuryevich', 'D-KHOROSHEV'],
    ['Дмитрий Юрьевич Хорошев', 'D-KHOROSHEV'],
    ['Tatiana Vladimirovna ZJURAVLEVA', 'D-ZHURAVLEVA'],
    ['Татьяна Владимировна ЖУРАВЛЕВА', 'D-ZHURAVLEVA'],
    ['Viktor Vladimirovich Sojko', 'D-SOYKO'],
    ['СОЙКО Виктор Владимирович', 'D-SOYKO'],
    ['Захаров Александр Вячеславович', 'D-ZAKHAROV'],
  ])('%s -> %s', (name, entryId) => {
    expect(scoreOf(name, entryId).score).toBeGreaterThanOrEqual(0.95);
  });
});

describe('same person, looser variant: at least the review band (>= 0.85)', () => {
  it.each([
    ['Dmitry Khoroshev', 'D-KHOROSHEV', 'patronymic omitted'],
    ['Dmitry Yuryevich Khoroshov', 'D-KHOROSHEV', 'typo'],
    ['Dmitri Khoroshew', 'D-KHOROSHEV', 'typo and transliteration, no patronymic'],
    ['Tetiana Volodymyrivna ZJURAVLEVA', 'D-ZHURAVLEVA', 'Ukrainian forms'],
    ['Тетяна Володимирівна ЖУРАВЛЕВА', 'D-ZHURAVLEVA', 'Ukrainian Cyrillic'],
    ['Viktor Vladimirovitj Sojko', 'D-SOYKO', 'Swedish romanisation'],
    ['Aleksandr Zacharov', 'D-ZAKHAROV', 'Czech ch'],
    ['Oleksandr Zakharov', 'D-ZAKHAROV', 'Ukrainian given name'],
    ['Олександр Вячеславович Захаров', 'D-ZAKHAROV', 'Ukrainian Cyrillic given name'],
    ['Alexander ZAKHAROV', 'D-ZAKHAROV', 'English given name, no patronymic'],
  ])('%s -> %s (%s)', (name, entryId) => {
    expect(scoreOf(name, entryId).score).toBeGreaterThanOrEqual(0.85);
  });
});

describe('gendered and Belarusian surname forms: review band at most, never strong', () => {
  it.each([
    ['Віктар Уладзіміравіч СОЙКА', 'D-SOYKO'],
    ['Aleksandr Vyacheslavovich ZAKHAROVA', 'D-ZAKHAROV'],
    ['Dmitry Yuryevich KHOROSHEVA', 'D-KHOROSHEV'],
  ])('%s -> %s', (name, entryId) => {
    const { score, match } = scoreOf(name, entryId);
    expect(score).toBeLessThan(0.95);
    expect(score).toBeGreaterThanOrEqual(0.7);
    expect(match?.explanation.tokens.some((t) => t.note === 'gendered form' || t.note === 'typo')).toBe(true);
  });
});

describe('different people with similar names stay below the review band', () => {
  it.each([
    ['Nikita Zakharov', 'D-ZAKHAROV', 'different given name'],
    ['Aleksandr Nikolaevich Zakharov', 'D-ZAKHAROV', 'different patronymic'],
    ['Sergey Yuryevich Khoroshev', 'D-KHOROSHEV', 'different given name, same patronymic'],
    ['Dmitry Petrovich Khoroshev', 'D-KHOROSHEV', 'different patronymic'],
    ['Zakharov', 'D-ZAKHAROV', 'surname only'],
    ['Vladimir', 'D-PUTIN', 'common given name only'],
    ['Tatyana Ivanovna Zhuravleva', 'D-ZHURAVLEVA', 'different patronymic'],
  ])('%s vs %s (%s)', (name, entryId) => {
    expect(scoreOf(name, entryId).score).toBeLessThan(0.85);
  });

  it('explains a different patronymic as a penalty', () => {
    const { match } = scoreOf('Aleksandr Nikolaevich Zakharov', 'D-ZAKHAROV');
    expect(match?.explanation.adjustments).toContainEqual(expect.objectContaining({ delta: -0.2 }));
    expect(match?.explanation.adjustments[0].reason).toMatch(/different patronymic/);
  });
});
