import { declaration, submit } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { uploadWatchList } from '../cases/helpers';
import { DeclarationSearch1764192100000 } from '../../migrations/1764192100000-declaration-search';

/** Controlled goods (CHPL) bound for Russia: a REVIEW case, so the declaration shows on both endpoints. */
function toRussia(overrides: Record<string, unknown>) {
  return declaration({
    procedure: 'export',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'RU',
    items: [
      {
        lineNo: 1,
        hsCode: '8542.31.000.0',
        description: 'Microcontrollers STM32',
        countryOfOrigin: 'CN',
        value: { amount: 5000, currency: 'USD' },
      },
    ],
    ...overrides,
  });
}

const LISTED = 'Krasnaya Zvezda Machinery';

describe('search across declarations and cases', () => {
  let t: TestService;
  let acme: string;
  let globex: string;
  let reviewer: string;
  let auditor: string;
  const a: string[] = [];
  let g1: string;
  const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((d) => d.id);
  const declarationIdsOfCases = (res: { body: { items: Array<{ declarationId: string }> } }) =>
    res.body.items.map((c) => c.declarationId);
  const get = (key: string, path: string) => t.http.get(path).set(...bearer(key));

  async function stored(key: string, body: Record<string, unknown>): Promise<string> {
    const res = await submit(t.http, key, body);
    if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  beforeAll(async () => {
    t = await startTestService();
    acme = await t.key('broker', 'acme');
    globex = await t.key('broker', 'globex');
    reviewer = await t.key('reviewer', 'authority');
    auditor = await t.key('auditor', 'authority');
    await uploadWatchList(t, 'srch', [{ id: 'S-1', name: LISTED }]);
    a.push(
      await stored(
        acme,
        toRussia({
          consignee: { name: 'ВОСТОК ООО', country: 'RU', identifiers: [{ type: 'INN', value: '7707083893' }] },
        }),
      ),
    );
    a.push(
      await stored(acme, toRussia({ consignee: { name: 'Dmitry Sokolov', country: 'RU' }, transitCountries: ['UZ'] })),
    );
    for (let i = 0; i < 3; i += 1)
      a.push(await stored(acme, toRussia({ consignee: { name: 'Ural Parts', country: 'RU' } })));
    a.push(await stored(acme, declaration()));
    a.push(await stored(acme, declaration({ consignee: { name: LISTED, country: 'RU' } })));
    g1 = await stored(
      globex,
      toRussia({
        consignee: { name: 'Altai Trade', country: 'RU' },
        items: [
          {
            lineNo: 1,
            hsCode: '8542.31',
            description: 'Microcontrollers',
            countryOfOrigin: 'CN',
            value: { amount: 10, currency: 'USD' },
            manufacturer: { name: 'Vostok Electronics Co Ltd', country: 'HK' },
          },
        ],
      }),
    );
  });
  afterAll(() => t.close());

  it('finds parties fuzzily across scripts, in any role including manufacturers, on both endpoints', async () => {
    expect(ids(await get(reviewer, '/v1/declarations?party=Vostok'))).toEqual([g1, a[0]]);
    expect(ids(await get(reviewer, `/v1/declarations?party=${encodeURIComponent('ВОСТОК')}`))).toEqual([g1, a[0]]);
    // Cyrillic query, Latin record; a romanisation variant; a legal form alone does not narrow anything.
    expect(ids(await get(reviewer, `/v1/declarations?party=${encodeURIComponent('Дмитрий Соколов')}`))).toEqual([a[1]]);
    expect(ids(await get(reviewer, '/v1/declarations?party=Dmitriy%20Sokolov%20'))).toEqual([a[1]]);
    expect(ids(await get(reviewer, '/v1/declarations?party=Vostock%20LLC'))).toEqual([g1, a[0]]);
    expect(ids(await get(reviewer, '/v1/declarations?party=Nowhere%20Industries'))).toEqual([]);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?party=Vostok&order=newest'))).toEqual([g1, a[0]]);
    expect(declarationIdsOfCases(await get(auditor, `/v1/cases?party=${encodeURIComponent('восток')}`)).sort()).toEqual(
      [g1, a[0]].sort(),
    );
  });

  it('finds identifiers exactly on the normalised value, with or without a type', async () => {
    expect(ids(await get(reviewer, '/v1/declarations?identifier=7707083893'))).toEqual([a[0]]);
    expect(ids(await get(reviewer, `/v1/declarations?identifier=${encodeURIComponent('inn: 7707 0838-93')}`))).toEqual([
      a[0],
    ]);
    expect(ids(await get(reviewer, '/v1/declarations?identifier=BIN:7707083893'))).toEqual([]);
    expect(ids(await get(reviewer, '/v1/declarations?identifier=770708389'))).toEqual([]);
    // The factory's declarant carries BIN 940140000385 on every declaration.
    expect(ids(await get(reviewer, '/v1/declarations?identifier=BIN:940140000385&limit=500'))).toHaveLength(8);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?identifier=INN:7707083893'))).toEqual([a[0]]);
  });

  it('finds HS code prefixes and countries of parties, route and origin', async () => {
    expect(ids(await get(reviewer, '/v1/declarations?hsCode=8542'))).toEqual([g1, a[4], a[3], a[2], a[1], a[0]]);
    // Globex declared 8542.31 (six digits): a nine-digit prefix is longer than its code.
    expect(ids(await get(reviewer, '/v1/declarations?hsCode=85.42.31.000'))).toEqual([a[4], a[3], a[2], a[1], a[0]]);
    expect(ids(await get(reviewer, '/v1/declarations?hsCode=94'))).toEqual([a[6], a[5]]);
    expect(ids(await get(reviewer, '/v1/declarations?hsCode=8543'))).toEqual([]);
    // Every consignor is Turkish; one route transits Uzbekistan; one manufacturer is in Hong Kong; origin is China.
    expect(ids(await get(reviewer, '/v1/declarations?country=tr&limit=500'))).toHaveLength(8);
    expect(ids(await get(reviewer, '/v1/declarations?country=UZ'))).toEqual([a[1]]);
    expect(ids(await get(reviewer, '/v1/declarations?country=HK'))).toEqual([g1]);
    expect(ids(await get(reviewer, '/v1/declarations?country=CN'))).toEqual([g1, a[4], a[3], a[2], a[1], a[0]]);
    expect(ids(await get(reviewer, '/v1/declarations?country=IR'))).toEqual([]);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?hsCode=8542&country=RU&order=newest'))).toEqual([
      g1,
      a[4],
      a[3],
      a[2],
      a[1],
      a[0],
    ]);
  });

  it('combines filters with the existing ones and pages through them with cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(
        reviewer,
        `/v1/declarations?hsCode=8542&country=RU&status=under_review&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([g1, a[4], a[3], a[2], a[1], a[0]]);

    const first = await get(reviewer, '/v1/cases?party=Ural&hsCode=8542&order=newest&limit=2');
    expect(declarationIdsOfCases(first)).toEqual([a[4], a[3]]);
    const second = await get(
      reviewer,
      `/v1/cases?party=Ural&hsCode=8542&order=newest&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(declarationIdsOfCases(second)).toEqual([a[2]]);
    expect(second.body.nextCursor).toBeNull();
    // Claim order pages too.
    const claimOrder = await get(reviewer, '/v1/cases?party=Ural&limit=1');
    const rest = await get(reviewer, `/v1/cases?party=Ural&limit=5&cursor=${claimOrder.body.nextCursor}`);
    expect([...declarationIdsOfCases(claimOrder), ...declarationIdsOfCases(rest)].sort()).toEqual(
      [a[2], a[3], a[4]].sort(),
    );
  });

  it('keeps brokers to their own organisation; the authority may pick one', async () => {
    expect(ids(await get(acme, '/v1/declarations?party=Vostok'))).toEqual([a[0]]);
    expect(ids(await get(globex, '/v1/declarations?party=Vostok'))).toEqual([g1]);
    expect(ids(await get(globex, '/v1/declarations?identifier=7707083893'))).toEqual([]);
    expect(ids(await get(acme, '/v1/declarations?party=Vostok&organization=acme'))).toEqual([a[0]]);
    const forbidden = await get(acme, '/v1/declarations?organization=globex');
    expect(forbidden.status).toBe(400);
    expect(forbidden.body.code).toBe('organization_filter_forbidden');
    expect(ids(await get(reviewer, '/v1/declarations?party=Vostok&organization=globex'))).toEqual([g1]);
    expect(ids(await get(reviewer, '/v1/declarations?organization=globex'))).toEqual([g1]);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?organization=acme&party=Vostok'))).toEqual([a[0]]);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?organization=nobody'))).toEqual([]);
    expect((await get(acme, '/v1/cases?party=Vostok')).status).toBe(403);
  });

  it('refuses bad filter values with 400 naming the field', async () => {
    const bad: Array<[string, string]> = [
      ['party=ab', 'query.party'],
      ['party=%20%2C-', 'query.party'],
      ['identifier=PASSPORTX:123456', 'query.identifier'],
      ['identifier=-%20-', 'query.identifier'],
      ['hsCode=84x1', 'query.hsCode'],
      ['hsCode=8', 'query.hsCode'],
      ['country=XX', 'query.country'],
      ['country=RUS', 'query.country'],
      ['listEntry=no-colon', 'query.listEntry'],
      ['listEntry=%3AS-1', 'query.listEntry'],
      ['party=Vostok&party=Ural', 'query.party'],
    ];
    for (const [query, field] of bad) {
      for (const path of ['/v1/declarations', '/v1/cases']) {
        const res = await get(reviewer, `${path}?${query}`);
        expect({ query, path, status: res.status }).toEqual({ query, path, status: 400 });
        expect(JSON.stringify(res.body)).toContain(field);
      }
    }
  });

  it('finds every declaration that hit a list entry, and follows re-screens', async () => {
    expect(ids(await get(reviewer, '/v1/declarations?listEntry=srch:S-1'))).toEqual([a[6]]);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?listEntry=srch:S-1'))).toEqual([a[6]]);
    expect(ids(await get(acme, '/v1/declarations?listEntry=srch:S-1'))).toEqual([a[6]]);
    expect(ids(await get(globex, '/v1/declarations?listEntry=srch:S-1'))).toEqual([]);
    expect(ids(await get(reviewer, '/v1/declarations?listEntry=srch:S-2'))).toEqual([]);

    // A new version lists Ural Parts: the delta re-screen hits the three stored declarations naming it.
    await uploadWatchList(t, 'srch', [
      { id: 'S-1', name: LISTED },
      { id: 'S-2', name: 'Ural Parts', countries: ['RU'] },
    ]);
    const found = await eventually(async () => {
      const res = await get(reviewer, '/v1/declarations?listEntry=srch:S-2');
      return res.body.items.length === 3 ? ids(res) : undefined;
    }, 30000);
    expect(found).toEqual([a[4], a[3], a[2]]);
    expect(declarationIdsOfCases(await get(reviewer, '/v1/cases?listEntry=srch:S-2&order=newest'))).toEqual([
      a[4],
      a[3],
      a[2],
    ]);
    // The re-screen replaced only the list entry keys: the other filters still find them.
    expect(
      ids(
        await get(
          reviewer,
          '/v1/declarations?listEntry=srch:S-2&party=Ural&hsCode=854231&country=RU&identifier=BIN:940140000385',
        ),
      ),
    ).toEqual([a[4], a[3], a[2]]);
  });

  it('backfills the keys of stored declarations in its migration, the same as the writer wrote them', async () => {
    const ds = t.service.db.dataSource;
    const snapshot = () =>
      ds.query(
        `SELECT declaration_id, organization, created_at, names, keys FROM declaration_search ORDER BY declaration_id`,
      );
    const written = await snapshot();
    expect(written).toHaveLength(8);
    const runner = ds.createQueryRunner();
    try {
      const migration = new DeclarationSearch1764192100000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const backfilled = await snapshot();
    const sorted = (rows: Array<{ keys: string[] }>) => rows.map((r) => ({ ...r, keys: [...r.keys].sort() }));
    expect(sorted(backfilled)).toEqual(sorted(written));
    expect(ids(await get(reviewer, '/v1/declarations?party=Vostok&listEntry=srch:S-1'))).toEqual([]);
    expect(ids(await get(reviewer, '/v1/declarations?party=Krasnaya%20Zvezda&listEntry=srch:S-1'))).toEqual([a[6]]);
  });
});
