/**
 * Screening against the real list copies (OFAC SDN 2019 and 2025 sample, UN, EU FSF sample, OpenSanctions FtM),
 * loaded with the project's importers, plus a few Kazakh ТОО entries constructed for these tests (no Kazakh
 * company is in the shared data; their BINs are real numbers from the python-stdnum samples).
 */
import { loadEuSample, loadFtm, loadOfac, loadUn } from '../../../test/support/fixture-lists';
import type { EntityEntry } from '../../domain/list-entry';
import { EntityListIndex, PartyMatcher, type PartyMatch, type PartyQuery } from './index';

const KAZAKH: EntityEntry[] = [
  {
    entryId: 'KZ-1',
    kind: 'organization',
    names: ['ТОО «Жетісу Құрылыс Сервис»'],
    countries: ['KZ'],
    programs: ['TEST'],
    identifiers: [{ type: 'TAX_ID', value: '940140000385', country: 'KZ' }],
  },
  {
    entryId: 'KZ-2',
    kind: 'organization',
    names: ['ТОО «Алматы Транзит Логистик»', 'Almaty Tranzit Logistik LLP'],
    countries: ['KZ'],
    programs: ['TEST'],
    identifiers: [{ type: 'BIN', value: '171140900016' }],
  },
];

const FTM_ZAKHAROV_ALEKSANDR = 'NK-aU5ybkbRFJucf8YMwsJvDw';
const FTM_ZAKHAROV_NIKITA = 'NK-JseaPJctnK9o8wrmz8xmoT';
const FTM_ZAKHAROVA_MARIYA = 'NK-2Tbri3s6GgNtAwsSXh4qpL';
const FTM_CST = 'NK-abdzbEBkqyT29GyREbiURZ';
const FTM_AEROSCAN = 'NK-iE6m5ryPeTAMZozfECVSL7';
const FTM_KALASHNIKOV = 'NK-nR5AXM9AVPq4pQaSPSaVam';

let matcher: PartyMatcher;

// Parsing and indexing the whole 2019 SDN list (with its addresses) is a fixture, not a timed claim: allow a busy machine.
beforeAll(async () => {
  matcher = new PartyMatcher();
  matcher.setList(EntityListIndex.build('ofac-sdn', '2019', await loadOfac('ofac-sdn-2019')));
  matcher.setList(EntityListIndex.build('ofac-2025', 'sample', await loadOfac('ofac-sample-2025')));
  matcher.setList(EntityListIndex.build('un', '2026-02-27', await loadUn()));
  matcher.setList(EntityListIndex.build('eu-fsf', 'sample', await loadEuSample()));
  matcher.setList(
    EntityListIndex.build('ftm', 'zala', [
      ...(await loadFtm('yente_zala_cluster_entities')),
      ...(await loadFtm('yente_t1_eu_fsf_entities')),
    ]),
  );
  matcher.setList(EntityListIndex.build('kz', 'test', KAZAKH));
}, 120_000);

function find(q: PartyQuery | string, listId: string, entryId: string): PartyMatch | undefined {
  const query = typeof q === 'string' ? { name: q } : q;
  return matcher.screen(query, { minScore: 0, limit: 100 }).find((m) => m.listId === listId && m.entryId === entryId);
}

const score = (q: PartyQuery | string, listId: string, entryId: string) => find(q, listId, entryId)?.score ?? 0;

describe('aliases and word order', () => {
  it('matches every name of an entry, not only the first', () => {
    expect(score('LOCKBITSUPP', 'ofac-2025', '48603')).toBe(1);
    expect(find('KHOROSHEV, Dmitrii Yuryevich', 'ofac-2025', '48603')?.matchedName).toBe(
      'KHOROSHEV, Dmitrii Yuryevich',
    );
    expect(score('ANO DIALOG REGIONS', 'ofac-2025', '50544')).toBeGreaterThanOrEqual(0.95);
  });

  it('ignores word order', () => {
    expect(score('Dmitry Yuryevich Khoroshev', 'ofac-2025', '48603')).toBeGreaterThanOrEqual(0.95);
    expect(score('Artem Mikhaylovich LIFSHITS', 'ofac-2025', '29702')).toBeGreaterThanOrEqual(0.95);
  });
});

describe('Cyrillic and Latin forms of the same entity (OpenSanctions, EU)', () => {
  it.each([
    ['Никита Захаров', 'ftm', FTM_ZAKHAROV_NIKITA],
    ['Mykyta Oleksandrovych Zakharov', 'ftm', FTM_ZAKHAROV_NIKITA],
    ['Zacharov Aleksandr Vjačeslavovič', 'ftm', FTM_ZAKHAROV_ALEKSANDR],
    ['Виталий Кузьменко', 'eu-fsf', '900002'],
    ['Sviatlana Paulauna PAKHODAVA', 'eu-fsf', '900004'],
  ])('%s -> %s:%s', (name, listId, entryId) => {
    expect(score(name, listId, entryId)).toBeGreaterThanOrEqual(0.85);
  });

  it('scores the same name in another script as strong', () => {
    expect(score('ВИКТОР ВЛАДИМИРОВИЧ СОЙКО', 'eu-fsf', '900005')).toBeGreaterThanOrEqual(0.95);
  });
});

describe('legal forms are kept out of the score and reported', () => {
  it.each([
    ['ООО "Аэроскан"', FTM_AEROSCAN],
    ['TOO Aeroscan', FTM_AEROSCAN],
    ['Aeroscan GmbH', FTM_AEROSCAN],
    ['АО «Концерн «Калашников»', FTM_KALASHNIKOV],
    ['Kalashnikov Concern PJSC', FTM_KALASHNIKOV],
    ['LIMITED LIABILITY COMPANY TSST', FTM_CST],
  ])('%s', (name, entryId) => {
    expect(score(name, 'ftm', entryId)).toBeGreaterThanOrEqual(0.95);
  });

  it('lists the legal forms ignored on both sides', () => {
    const m = find('ООО "Аэроскан"', 'ftm', FTM_AEROSCAN);
    expect(m?.explanation.legalFormsIgnored.query).toEqual(['ooo']);
  });

  it('does not match two companies that share only a legal form', () => {
    expect(score('OOO Romashka', 'ftm', FTM_AEROSCAN)).toBeLessThan(0.5);
  });

  it('matches Kazakh ТОО names across scripts and Kazakh romanisations', () => {
    expect(score('TOO Zhetisu Kurylys Servis', 'kz', 'KZ-1')).toBeGreaterThanOrEqual(0.95);
    expect(score('Jetisu Qurylys Servis LLP', 'kz', 'KZ-1')).toBeGreaterThanOrEqual(0.85);
    expect(score('Алматы Транзит Логистик ЖШС', 'kz', 'KZ-2')).toBeGreaterThanOrEqual(0.95);
  });
});

describe('identifiers are decisive', () => {
  it('matches an INN in the query to an entry whose name differs', () => {
    const m = find(
      { name: 'Completely Different Name', identifiers: [{ type: 'INN', value: '366 110 340 670' }] },
      'ofac-2025',
      '48603',
    );
    expect(m).toMatchObject({ score: 1, matchKind: 'identifier' });
    expect(m?.explanation.identifier?.value).toBe('366110340670');
  });

  it('treats a list TAX_ID as compatible with a query BIN', () => {
    const m = find({ name: 'ТОО Другое', identifiers: [{ type: 'BIN', value: '940140000385' }] }, 'kz', 'KZ-1');
    expect(m).toMatchObject({ score: 1, matchKind: 'identifier' });
  });

  it('matches an OGRN and an IMO number', () => {
    expect(score({ name: 'X', identifiers: [{ type: 'OGRN', value: '1101841007938' }] }, 'ftm', FTM_CST)).toBe(1);
    expect(
      score({ name: 'Some tanker', identifiers: [{ type: 'IMO', value: 'IMO 9339301' }] }, 'ofac-2025', '47371'),
    ).toBe(1);
  });

  it('refuses incompatible types and unknown numbers', () => {
    expect(
      find({ name: 'X', identifiers: [{ type: 'IMO', value: '366110340670' }] }, 'ofac-2025', '48603'),
    ).toBeUndefined();
    expect(
      find({ name: 'X', identifiers: [{ type: 'INN', value: '366110340671' }] }, 'ofac-2025', '48603'),
    ).toBeUndefined();
  });
});

describe('country agreement and disagreement (only when both sides have countries)', () => {
  it('adds a little for agreement and takes away for disagreement', () => {
    const none = score({ name: 'Dmitriy Khoroshev' }, 'ofac-2025', '48603');
    const ru = find({ name: 'Dmitriy Khoroshev', country: 'RU' }, 'ofac-2025', '48603');
    const kz = find({ name: 'Dmitriy Khoroshev', country: 'Kazakhstan' }, 'ofac-2025', '48603');
    expect(ru?.score).toBeCloseTo(Math.min(1, none + 0.02), 4);
    expect(kz?.score).toBeCloseTo(none - 0.04, 4);
    expect(kz?.explanation.adjustments).toContainEqual({ reason: 'country KZ not among RU', delta: -0.04 });
  });

  it('leaves the score alone when the entry has no country', () => {
    const a = score({ name: 'Tatiana Vladimirovna ZJURAVLEVA' }, 'eu-fsf', '900003');
    expect(score({ name: 'Tatiana Vladimirovna ZJURAVLEVA', country: 'KZ' }, 'eu-fsf', '900003')).toBe(a);
  });
});

describe('near misses stay below the review band', () => {
  it.each([
    ['Sergey Zakharov', FTM_ZAKHAROV_ALEKSANDR],
    ['Nikita Vyacheslavovich Zakharov', FTM_ZAKHAROV_NIKITA],
    ['Aleksandr Nikolaevich Zakharov', FTM_ZAKHAROV_ALEKSANDR],
    ['Svetlana Aleksandrovna Zakharova', FTM_ZAKHAROVA_MARIYA],
    ['Mariya Petrovna Zakharova', FTM_ZAKHAROVA_MARIYA],
  ])('%s vs %s', (name, entryId) => {
    expect(score(name, 'ftm', entryId)).toBeLessThan(0.85);
  });

  it('does not flood on common or short tokens', () => {
    for (const name of ['Mohammed', 'Ali', 'Trading Company', 'Zakharov', 'Li', 'Kim', 'International Trading LLC']) {
      expect(matcher.screen({ name }, { minScore: 0.85 })).toEqual([]);
    }
  });
});
