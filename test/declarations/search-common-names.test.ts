import { declaration, submit } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { PartyNames1764192300000 } from '../../migrations/1764192300000-party-names';
import { foldedName } from '../../src/declarations/search-keys';
import { PARTY_SIMILARITY } from '../../src/declarations/search-filter';

/**
 * A party name shared by many declarations (issue 13): the page is read per matching dictionary name from the narrow
 * name index, so these prove that order, cursors, organisation scoping and the other filters hold through it, that a
 * declaration naming two matching parties shows once, and that a query matching very many names (the time-walk arm)
 * answers the same pages.
 */
describe('search by a common party name', () => {
  let t: TestService;
  let acme: string;
  let globex: string;
  let reviewer: string;
  const acmeIds: string[] = [];
  const globexIds: string[] = [];
  let other: string;
  const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((d) => d.id);
  const get = (key: string, path: string) => t.http.get(path).set(...bearer(key));

  async function stored(key: string, body: Record<string, unknown>): Promise<string> {
    const res = await submit(t.http, key, body);
    if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  /** Every page of a search, `limit` at a time, checking each page's size; returns the ids in order. */
  async function walk(key: string, query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(key, `/v1/declarations?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
      if (cursor) expect(res.body.items).toHaveLength(limit);
    } while (cursor);
    return seen;
  }

  /** The newest-first order of the given declarations, as the unfiltered list (no search tables) gives it. */
  async function newestFirst(subset: string[]): Promise<string[]> {
    const all = ids(await get(reviewer, '/v1/declarations?limit=500'));
    return all.filter((id) => subset.includes(id));
  }

  beforeAll(async () => {
    t = await startTestService();
    acme = await t.key('broker', 'acme');
    globex = await t.key('broker', 'globex');
    reviewer = await t.key('reviewer', 'authority');
    // Several dictionary names match "Altyn Logistics" (legal forms fold away; branch numbers are other names), one
    // declaration names two of them, and the two organisations interleave in time.
    for (let i = 0; i < 14; i += 1) {
      const consignee = { name: `Altyn Logistics ${['LLP', 'TOO', 'Branch 2', 'Branch 3'][i % 4]}`, country: 'KZ' };
      const body =
        i === 5
          ? declaration({ consignee, consignor: { name: 'ALTYN LOGISTICS Branch 7', country: 'TR' } })
          : declaration({ consignee });
      if (i % 3 === 0) globexIds.push(await stored(globex, body));
      else acmeIds.push(await stored(acme, body));
    }
    other = await stored(acme, declaration({ consignee: { name: 'Steppe Components LLP', country: 'KZ' } }));
  }, 120_000);
  afterAll(() => t.close());

  it("pages a shared name newest first, without duplicates or gaps, within the caller's organisation", async () => {
    const everyone = await newestFirst([...acmeIds, ...globexIds]);
    expect(everyone).toHaveLength(14);
    for (const limit of [1, 3, 5, 50]) {
      expect(await walk(reviewer, 'party=Altyn%20Logistics', limit)).toEqual(everyone);
    }
    // A broker sees its own declarations only, through the same name index; the authority may pick one organisation.
    const acmeOnly = everyone.filter((id) => acmeIds.includes(id));
    const globexOnly = everyone.filter((id) => globexIds.includes(id));
    expect(await walk(acme, 'party=Altyn%20Logistics', 3)).toEqual(acmeOnly);
    expect(await walk(globex, 'party=altyn%20logistiks', 2)).toEqual(globexOnly);
    expect(await walk(reviewer, 'party=Altyn%20Logistics&organization=globex', 2)).toEqual(globexOnly);
    expect((await get(globex, '/v1/declarations?party=Steppe%20Components')).body.items).toEqual([]);
    expect(ids(await get(acme, '/v1/declarations?party=Steppe%20Components'))).toEqual([other]);
    // The other filters still combine: a time range, a status, an exact key.
    const res = await get(reviewer, '/v1/declarations?limit=500');
    const created = new Map<string, string>(
      res.body.items.map((d: { id: string; createdAt: string }) => [d.id, d.createdAt]),
    );
    const from = created.get(everyone[9])!;
    expect(await walk(reviewer, `party=Altyn%20Logistics&from=${encodeURIComponent(from)}`, 4)).toEqual(
      everyone.filter((id) => created.get(id)! >= from),
    );
    expect(await walk(reviewer, 'party=Altyn%20Logistics&status=cleared&country=TR', 4)).toEqual(everyone);
    expect(await walk(acme, 'party=Altyn%20Logistics&country=KZ', 4)).toEqual(acmeOnly);
  });

  it('answers the same pages when a query matches more names than are read one by one (the time walk)', async () => {
    const everyone = await newestFirst([...acmeIds, ...globexIds]);
    const ds = t.service.db.dataSource;
    // Dictionary names without declarations: they only push the match count past the per-name read's cap.
    const fold = foldedName('Altyn Logistics');
    await ds.query(
      `INSERT INTO party_names (folded, id) SELECT $1 || ' unit ' || g, hashtextextended($1 || ' unit ' || g, 0) FROM generate_series(1, 1200) g`,
      [fold],
    );
    try {
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM party_names WHERE word_similarity($1, folded) >= $2`,
        [fold, PARTY_SIMILARITY],
      );
      expect(n).toBeGreaterThan(1200);
      expect(await walk(reviewer, 'party=Altyn%20Logistics', 3)).toEqual(everyone);
      expect(await walk(acme, 'party=Altyn%20Logistics', 4)).toEqual(everyone.filter((id) => acmeIds.includes(id)));
    } finally {
      await ds.query(`DELETE FROM party_names WHERE folded LIKE $1`, [`${fold} unit %`]);
    }
  });

  it('backfills the name rows of stored declarations in its migration, the same as the writer wrote them', async () => {
    const ds = t.service.db.dataSource;
    const snapshot = async () => ({
      names: await ds.query(`SELECT folded, id FROM party_names ORDER BY folded`),
      rows: await ds.query(
        `SELECT name_id, created_at, declaration_id, organization FROM declaration_party_names ORDER BY name_id, declaration_id`,
      ),
    });
    const written = await snapshot();
    expect(written.names.map((n: { folded: string }) => n.folded)).toEqual(
      expect.arrayContaining([foldedName('Altyn Logistics LLP'), foldedName('ALTYN LOGISTICS Branch 7')]),
    );
    const runner = ds.createQueryRunner();
    try {
      const migration = new PartyNames1764192300000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await snapshot()).toEqual(written);
    expect(await walk(reviewer, 'party=Altyn%20Logistics', 5)).toEqual(await newestFirst([...acmeIds, ...globexIds]));
  });
});
