/**
 * The screening rules of collectHits, each isolated by its input, against an in-memory index of the shipped CHPL goods
 * list and real parties (OFAC SDN 2025 sample, UN consolidated list), under the shipped rule set (config/ruleset.json).
 * The engine is deterministic: every test asserts the exact hits (kind, severity, subject, score, weight, id) and the
 * exact decide() outcome and risk score.
 */
import type { DeclarationInput } from './declaration-input';
import type { GoodsEntry } from '../domain/list-entry';
import {
  CHPL_VERSION,
  cleanDeclaration,
  line,
  screeningContext,
  SDN_VERSION,
  UN_VERSION,
} from '../../test/support/screening-context';
import type { CitedLicence } from './dossier';
import { collectHits, decide, type ScreeningContext } from './declaration-screening';
import { hitId, type Hit } from './hits';

let ctx: ScreeningContext;

// Parsing the UN list (2 MB of XML) and indexing it is a fixture, not a timed claim: allow a busy machine.
beforeAll(async () => {
  ctx = await screeningContext();
}, 60_000);

/** Real CHPL entries (src/lists/seed-data/chpl_hs6_tiers.tsv) as the goods importer reads them. */
const CHPL = {
  mcu: {
    prefix: '854231',
    severity: 'high',
    source: 'CHPL tier 1',
    label:
      'Electronic integrated circuits; processors and controllers, whether or not combined with memories, converters, ' +
      'logic circuits, amplifiers, clock and timing circuits, or other circuits',
  },
  gnss: { prefix: '852691', severity: 'high', source: 'CHPL tier 2', label: 'Radio navigational aid apparatus' },
  ballBearings: { prefix: '848210', severity: 'medium', source: 'CHPL tier 3.B', label: 'Ball bearings' },
} satisfies Record<string, GoodsEntry>;

/** The goods hit a line raises for a goods entry (CHPL unless another list is named). */
function goodsHit(
  index: number,
  hsCode: string,
  entry: GoodsEntry,
  description = 'Goods',
  listId = 'chpl',
  versionId = CHPL_VERSION,
): Hit {
  const subject = `items[${index}]`;
  return {
    id: hitId('goods', subject, `${listId}|${entry.prefix}`),
    kind: 'goods',
    severity: entry.severity,
    score: 1,
    subject,
    listId,
    versionId,
    entryId: entry.prefix,
    matched: entry.label,
    explanation: `line ${index + 1}: HS ${hsCode} falls under ${listId} entry ${entry.prefix} (${entry.source ?? listId}, ${entry.severity}): ${entry.label}`,
    evidence: {
      hsCode,
      prefix: entry.prefix,
      label: entry.label,
      source: entry.source,
      severity: entry.severity,
      description,
    },
    weight: { high: 30, medium: 15, low: 5 }[entry.severity],
  };
}

function screen(d: DeclarationInput, context: ScreeningContext = ctx) {
  const hits = collectHits(d, context);
  return { hits, decision: decide(hits, context.ruleset, d) };
}

/** Export of one line from Kazakhstan to `destination`, by a Kazakh consignor to a consignee of that country. */
function exportTo(
  destination: string,
  item: DeclarationInput['items'][number],
  overrides: Partial<DeclarationInput> = {},
): DeclarationInput {
  return cleanDeclaration({
    procedure: 'export',
    countryOfDispatch: 'KZ',
    countryOfDestination: destination,
    consignor: { name: 'Almaty Elektronika LLP', country: 'KZ' },
    consignee: { name: 'Orbita Components', country: destination },
    items: [item],
    ...overrides,
  });
}

describe('goods (CHPL by HS code prefix)', () => {
  it('hits a CHPL tier-1 code at 6 digits: one high goods hit of weight 30, CLEAR on its own (below the review threshold)', () => {
    const { hits, decision } = screen(cleanDeclaration({ items: [line('8542.31')] }));
    expect(hits).toEqual([goodsHit(0, '854231', CHPL.mcu)]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 30 });
  });

  it('gives a tier 3.B code the medium severity and weight', () => {
    const { hits, decision } = screen(cleanDeclaration({ items: [line('848210')] }));
    expect(hits).toEqual([goodsHit(0, '848210', CHPL.ballBearings)]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 15 });
  });

  it('hits a national code longer than 6 digits through its 6-digit CHPL prefix', () => {
    const { hits, decision } = screen(cleanDeclaration({ items: [line('8542.31.000.0')] }));
    expect(hits).toEqual([goodsHit(0, '8542310000', CHPL.mcu)]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 30 });
  });

  it('does not hit a code shorter than the entry (8542) nor a sibling subheading (854290) of a CHPL entry', () => {
    expect(screen(cleanDeclaration({ items: [line('8542')] }))).toEqual({
      hits: [],
      decision: { outcome: 'CLEAR', riskScore: 0 },
    });
    expect(screen(cleanDeclaration({ items: [line('854290')] }))).toEqual({
      hits: [],
      decision: { outcome: 'CLEAR', riskScore: 0 },
    });
  });

  it('hits every entry whose prefix starts the code, shortest prefix first, and counts the goods rule once by its strongest hit', async () => {
    const heading: GoodsEntry = {
      prefix: '8542',
      severity: 'low',
      label: 'Electronic integrated circuits (heading watch)',
    };
    const withHeading = await screeningContext({ watch: [heading] });
    const { hits, decision } = screen(cleanDeclaration({ items: [line('8542.31.000.0')] }), withHeading);
    expect(hits).toEqual([
      goodsHit(0, '8542310000', heading, 'Goods', 'watch', 'watch-v1'),
      goodsHit(0, '8542310000', CHPL.mcu),
    ]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 30 });
    // The heading entry alone catches the sibling subheading the CHPL does not list.
    expect(screen(cleanDeclaration({ items: [line('854290')] }), withHeading).hits).toEqual([
      goodsHit(0, '854290', heading, 'Goods', 'watch', 'watch-v1'),
    ]);
  });

  it('raises nothing for a non-controlled line with unremarkable parties and route', () => {
    expect(screen(cleanDeclaration())).toEqual({ hits: [], decision: { outcome: 'CLEAR', riskScore: 0 } });
  });

  it('flags a controlled item named in the description of a line no goods list covers (possible misclassification)', () => {
    const description = 'Office desk with GPS navigation module';
    const { hits, decision } = screen(cleanDeclaration({ items: [line('9403.60', { description })] }));
    const label = 'GNSS / radio navigation (CHPL tier 2, 8526.91)';
    expect(hits).toEqual([
      {
        id: hitId('indicator', 'items[0]', `keyword:${label}`),
        kind: 'indicator',
        severity: 'medium',
        score: 1,
        subject: 'items[0]',
        matched: label,
        explanation: `line 1: the description "${description}" names a controlled item (${label}) under HS 940360, which no goods list covers: possible misclassification`,
        evidence: { rule: 'controlled-description', keyword: label, hsCode: '940360', description },
        weight: 20,
      },
    ]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 20 });
    // The same words under the CHPL code they describe are the goods hit, not an indicator.
    expect(screen(cleanDeclaration({ items: [line('852691', { description })] })).hits).toEqual([
      goodsHit(0, '852691', CHPL.gnss, description),
    ]);
  });

  it('flags a code that does not exist in HS2022', () => {
    const { hits, decision } = screen(cleanDeclaration({ items: [line('854299')] }));
    expect(hits).toEqual([
      {
        id: hitId('indicator', 'items[0]', 'unknown-hs:854299'),
        kind: 'indicator',
        severity: 'low',
        score: 1,
        subject: 'items[0]',
        matched: '854299',
        explanation: 'line 1: HS 854299 does not exist in HS2022: a typo, an outdated edition or a wrong code',
        evidence: { rule: 'unknown-hs-code', hsCode: '854299', checked: '854299' },
        weight: 10,
      },
    ]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 10 });
  });
});

describe('licences (a cited licence covering a controlled line)', () => {
  const licence: CitedLicence = {
    id: 'lic-1',
    number: 'KZ-EXP-2026-0042',
    holder: { name: 'Almaty Elektronika LLP', country: 'KZ' },
    hsPrefixes: ['854231'],
    destinationCountries: ['AM'],
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    limit: { kind: 'value', amount: 100000, currency: 'USD' },
    revoked: false,
    used: 20000,
  };
  const withDossier = (l: CitedLicence): ScreeningContext => ({
    ...ctx,
    dossier: { licences: new Map([[l.number, l]]), invoices: new Map() },
  });
  const cited = exportTo('AM', line('854231', { licenceNumber: 'kz-exp-2026-0042 ' }));

  it('without the licence: controlled goods to a diversion hub are a goods and a route hit, REVIEW', () => {
    const { hits, decision } = screen(exportTo('AM', line('854231')));
    expect(hits.map((h) => [h.kind, h.severity, h.subject, h.weight, h.evidence?.rule])).toEqual([
      ['goods', 'high', 'items[0]', 30, undefined],
      ['route', 'high', 'countryOfDestination', 25, 'diversion-hub'],
    ]);
    expect(decision).toEqual({ outcome: 'REVIEW', riskScore: 55 });
  });

  it('keeps the goods hit marked licensed at weight 0 and takes the line out of the route rules: CLEAR', () => {
    const { hits, decision } = screen(cited, withDossier(licence));
    const goods = goodsHit(0, '854231', CHPL.mcu);
    expect(hits).toEqual([
      {
        ...goods,
        weight: 0,
        explanation: `${goods.explanation}; licensed under KZ-EXP-2026-0042`,
        evidence: {
          ...goods.evidence,
          licence: {
            number: 'KZ-EXP-2026-0042',
            status: 'licensed',
            amount: 5000,
            measure: 'USD',
            remainingBefore: 80000,
            remainingAfter: 75000,
            validTo: '2026-12-31',
            holderMatchedBy: 'name',
            holderParty: 'consignor',
          },
        },
      },
    ]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 0 });
  });

  it('an expired licence licenses nothing: the goods and route hits stay and an indicator says why', () => {
    const { hits, decision } = screen(cited, withDossier({ ...licence, validTo: '2026-03-31' }));
    expect(hits.map((h) => [h.kind, h.severity, h.subject, h.weight, h.evidence?.rule])).toEqual([
      ['goods', 'high', 'items[0]', 30, undefined],
      ['indicator', 'medium', 'items[0]', 30, 'licence-expired'],
      ['route', 'high', 'countryOfDestination', 25, 'diversion-hub'],
    ]);
    expect(hits[0].evidence?.licence).toEqual({ number: 'kz-exp-2026-0042 ', status: 'expired', scope: null });
    expect(hits[1]).toMatchObject({
      id: hitId('indicator', 'items[0]', 'licence:expired:KZ-EXP-2026-0042'),
      matched: 'kz-exp-2026-0042 ',
      explanation:
        'line 1: licence KZ-EXP-2026-0042 expired on 2026-03-31, so it does not license the controlled goods of the line',
    });
    expect(decision).toEqual({ outcome: 'REVIEW', riskScore: 85 });
  });
});

describe('route', () => {
  const transitKg = (item: DeclarationInput['items'][number]) =>
    cleanDeclaration({
      procedure: 'transit',
      countryOfDispatch: 'CN',
      countryOfDestination: 'KZ',
      transitCountries: ['KG'],
      consignor: { name: 'Shenzhen Xinda Electronics Co., Ltd.', country: 'CN' },
      items: [item],
    });

  it('flags transit through a diversion hub (KG) when the declaration carries controlled goods: REVIEW', () => {
    const { hits, decision } = screen(transitKg(line('854231')));
    expect(hits).toEqual([
      goodsHit(0, '854231', CHPL.mcu),
      {
        id: hitId('route', 'transitCountries[0]', 'diversion-hub:KG'),
        kind: 'route',
        severity: 'high',
        score: 1,
        subject: 'transitCountries[0]',
        matched: 'KG',
        explanation:
          'transitCountries[0] is KG, a known diversion hub for controlled goods bound for Russia, and the declaration carries controlled goods (items[0])',
        evidence: { rule: 'diversion-hub', country: 'KG', controlledLines: [0] },
        weight: 25,
      },
    ]);
    expect(decision).toEqual({ outcome: 'REVIEW', riskScore: 55 });
  });

  it('does not flag a diversion hub without controlled goods, and flags a hub named twice once', () => {
    expect(screen(transitKg(line('940360')))).toEqual({ hits: [], decision: { outcome: 'CLEAR', riskScore: 0 } });
    const twice = screen(exportTo('AM', line('854231'), { transitCountries: ['GE', 'AM'] })).hits.filter(
      (h) => h.kind === 'route',
    );
    expect(twice.map((h) => [h.subject, h.matched])).toEqual([
      ['countryOfDestination', 'AM'],
      ['transitCountries[0]', 'GE'],
    ]);
  });

  it('flags a high-risk destination (RU) with controlled goods as high, weight 40, once for the country: REVIEW', () => {
    const { hits, decision } = screen(exportTo('RU', line('854231')));
    expect(hits).toEqual([
      goodsHit(0, '854231', CHPL.mcu),
      {
        id: hitId('route', 'countryOfDestination', 'RU'),
        kind: 'route',
        severity: 'high',
        score: 1,
        subject: 'countryOfDestination',
        matched: 'RU',
        explanation:
          'countryOfDestination is RU, a high-risk country, and the declaration carries controlled goods (items[0])',
        evidence: { rule: 'high-risk-country', country: 'RU', controlledLines: [0] },
        weight: 40,
      },
    ]);
    expect(decision).toEqual({ outcome: 'REVIEW', riskScore: 70 });
  });

  it('flags a high-risk destination without controlled goods as medium, weight 15: CLEAR', () => {
    const { hits, decision } = screen(exportTo('RU', line('940360')));
    expect(hits).toEqual([
      {
        id: hitId('route', 'countryOfDestination', 'RU'),
        kind: 'route',
        severity: 'medium',
        score: 1,
        subject: 'countryOfDestination',
        matched: 'RU',
        explanation: 'countryOfDestination is RU, a high-risk country',
        evidence: { rule: 'high-risk-country', country: 'RU', controlledLines: [] },
        weight: 15,
      },
    ]);
    expect(decision).toEqual({ outcome: 'CLEAR', riskScore: 15 });
  });

  it('flags controlled goods made in an origin-ban country (DE) declared for export, off any high-risk route: high, REVIEW', () => {
    const { hits, decision } = screen(exportTo('CN', line('854231', { countryOfOrigin: 'DE' })));
    expect(hits).toEqual([
      goodsHit(0, '854231', CHPL.mcu),
      {
        id: hitId('route', 'items[0]', 'restricted-origin:DE'),
        kind: 'route',
        severity: 'high',
        score: 1,
        subject: 'items[0]',
        matched: 'DE',
        explanation: 'line 1: controlled goods made in DE, which bans their export to Russia, declared for re-export',
        evidence: {
          rule: 'restricted-origin-reexport',
          countryOfOrigin: 'DE',
          procedure: 'export',
          highRiskOnRoute: [],
        },
        weight: 35,
      },
    ]);
    // CN is neither high-risk nor a diversion hub: the override does not apply, the score decides.
    expect(decision).toEqual({ outcome: 'REVIEW', riskScore: 65 });
  });

  it('flags the import of origin-ban controlled goods as medium, weight 15 (re-export stock): REVIEW', () => {
    const { hits, decision } = screen(cleanDeclaration({ items: [line('854231', { countryOfOrigin: 'DE' })] }));
    expect(hits).toEqual([
      goodsHit(0, '854231', CHPL.mcu),
      {
        id: hitId('route', 'items[0]', 'restricted-origin-import:DE'),
        kind: 'route',
        severity: 'medium',
        score: 1,
        subject: 'items[0]',
        matched: 'DE',
        explanation:
          'line 1: import of controlled goods made in DE, which bans their export to Russia: stock that may later be re-exported',
        evidence: { rule: 'restricted-origin-import', countryOfOrigin: 'DE', procedure: 'import' },
        weight: 15,
      },
    ]);
    expect(decision).toEqual({ outcome: 'REVIEW', riskScore: 45 });
  });

  it('does not apply the origin ban to non-controlled goods, nor to controlled goods of an origin without a ban', () => {
    expect(screen(exportTo('CN', line('940360', { countryOfOrigin: 'DE' })))).toEqual({
      hits: [],
      decision: { outcome: 'CLEAR', riskScore: 0 },
    });
    expect(screen(exportTo('CN', line('854231', { countryOfOrigin: 'CN' }))).hits).toEqual([
      goodsHit(0, '854231', CHPL.mcu),
    ]);
  });
});

describe('outcomeOverrides (restricted-origin re-export onward to a high-risk or diversion-hub destination)', () => {
  it('BLOCKs origin-ban goods exported to a diversion hub (AM), naming the override and its hit', () => {
    const { hits, decision } = screen(exportTo('AM', line('854231', { countryOfOrigin: 'DE' })));
    const restricted = hitId('route', 'items[0]', 'restricted-origin:DE');
    expect(hits.map((h) => [h.id, h.kind, h.severity, h.subject, h.weight])).toEqual([
      [hitId('goods', 'items[0]', 'chpl|854231'), 'goods', 'high', 'items[0]', 30],
      [hitId('route', 'countryOfDestination', 'diversion-hub:AM'), 'route', 'high', 'countryOfDestination', 25],
      [restricted, 'route', 'high', 'items[0]', 35],
    ]);
    expect(decision).toEqual({
      outcome: 'BLOCK',
      riskScore: 90,
      overrides: [{ rule: 'restricted-origin-reexport', outcome: 'BLOCK', hitIds: [restricted] }],
    });
  });

  it('BLOCKs origin-ban goods in transit to a high-risk destination (RU): the origin hit is critical on that route', () => {
    const d = exportTo('RU', line('854231', { countryOfOrigin: 'DE' }), {
      procedure: 'transit',
      countryOfDispatch: 'DE',
    });
    const { hits, decision } = screen(d);
    const restricted = hitId('route', 'items[0]', 'restricted-origin:DE');
    expect(hits.find((h) => h.id === restricted)).toEqual({
      id: restricted,
      kind: 'route',
      severity: 'critical',
      score: 1,
      subject: 'items[0]',
      matched: 'DE',
      explanation:
        'line 1: controlled goods made in DE, which bans their export to Russia, declared for transit on a route through RU',
      evidence: {
        rule: 'restricted-origin-reexport',
        countryOfOrigin: 'DE',
        procedure: 'transit',
        highRiskOnRoute: ['RU'],
      },
      weight: 35,
    });
    // 30 + 40 + 35 = 105, capped at 100.
    expect(decision).toEqual({
      outcome: 'BLOCK',
      riskScore: 100,
      overrides: [{ rule: 'restricted-origin-reexport', outcome: 'BLOCK', hitIds: [restricted] }],
    });
  });

  it('without the override, the same hits are only a REVIEW by score', () => {
    const d = exportTo('AM', line('854231', { countryOfOrigin: 'DE' }));
    expect(decide(collectHits(d, ctx), { ...ctx.ruleset, outcomeOverrides: [] }, d)).toEqual({
      outcome: 'REVIEW',
      riskScore: 90,
    });
  });
});

describe('parties (real SDN and UN entries)', () => {
  it('an exact SDN entity as consignee is a critical party hit of score 1: BLOCK', () => {
    const name = 'IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY';
    const { hits, decision } = screen(cleanDeclaration({ consignee: { name, country: 'IR' } }));
    expect(
      hits.map((h) => [
        h.id,
        h.kind,
        h.severity,
        h.subject,
        h.score,
        h.weight,
        h.listId,
        h.versionId,
        h.entryId,
        h.matched,
      ]),
    ).toEqual([
      [
        hitId('party', 'consignee', 'ofac-sdn|11195'),
        'party',
        'critical',
        'consignee',
        1,
        60,
        'ofac-sdn',
        SDN_VERSION,
        '11195',
        name,
      ],
      [
        hitId('route', 'consignee.country', 'IR'),
        'route',
        'medium',
        'consignee.country',
        1,
        15,
        undefined,
        undefined,
        undefined,
        'IR',
      ],
    ]);
    expect(decision).toEqual({ outcome: 'BLOCK', riskScore: 75 });
  });

  it('an exact UN entity as consignee is a critical party hit of score 1: BLOCK', () => {
    const name = 'IRANO HIND SHIPPING COMPANY';
    const { hits, decision } = screen(cleanDeclaration({ consignee: { name, country: 'IR' } }));
    expect(hits.map((h) => [h.id, h.kind, h.severity, h.score, h.weight, h.listId, h.versionId, h.entryId])).toEqual([
      [hitId('party', 'consignee', 'un|IRe.028'), 'party', 'critical', 1, 60, 'un', UN_VERSION, 'IRe.028'],
      [hitId('route', 'consignee.country', 'IR'), 'route', 'medium', 1, 15, undefined, undefined, undefined],
    ]);
    expect(decision).toEqual({ outcome: 'BLOCK', riskScore: 75 });
  });
});
