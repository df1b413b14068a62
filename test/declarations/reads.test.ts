import { declaration, submit } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';

describe('reading declarations', () => {
  let t: TestService;
  let acme: string;
  let globex: string;
  let reviewer: string;
  let auditor: string;
  const acmeIds: string[] = [];
  let globexId: string;

  beforeAll(async () => {
    t = await startTestService();
    acme = await t.key('broker', 'acme');
    globex = await t.key('broker', 'globex');
    reviewer = await t.key('reviewer', 'authority');
    auditor = await t.key('auditor', 'authority');
    for (let i = 0; i < 5; i += 1)
      acmeIds.push((await submit(t.http, acme, declaration({ reference: `ACME-${i}` }))).body.id);
    acmeIds.push(
      (
        await submit(
          t.http,
          acme,
          declaration({
            reference: 'ACME-RU',
            countryOfDestination: 'RU',
            procedure: 'export',
            items: [
              {
                lineNo: 1,
                hsCode: '854231',
                description: 'MCU',
                countryOfOrigin: 'CN',
                value: { amount: 1, currency: 'USD' },
              },
            ],
          }),
        )
      ).body.id,
    );
    globexId = (await submit(t.http, globex, declaration({ reference: 'GLOBEX-1' }))).body.id;
  });
  afterAll(() => t.close());

  it('shows the owner broker its declaration with its screening (not the review), the authority its case and history, and hides it from other organisations', async () => {
    const own = await t.http.get(`/v1/declarations/${acmeIds[5]}`).set(...bearer(acme));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      id: acmeIds[5],
      reference: 'ACME-RU',
      organization: 'acme',
      status: 'under_review',
      declaration: { reference: 'ACME-RU' },
      decision: null,
    });
    expect(own.body.screening.hits.length).toBeGreaterThan(0);
    expect(own.body).not.toHaveProperty('case');
    expect(own.body).not.toHaveProperty('history');
    expect((await t.http.get(`/v1/declarations/${acmeIds[5]}`).set(...bearer(globex))).status).toBe(404);
    const authority = await t.http.get(`/v1/declarations/${acmeIds[5]}`).set(...bearer(reviewer));
    expect(authority.status).toBe(200);
    expect(authority.body.case).toMatchObject({ status: 'open', level: 'REVIEW' });
    expect(authority.body.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['declaration.submitted', 'declaration.screened', 'case.opened']),
    );
    expect((await t.http.get(`/v1/declarations/${acmeIds[5]}`).set(...bearer(auditor))).status).toBe(200);
    expect((await t.http.get(`/v1/declarations/${acmeIds[5]}`).set(...bearer(t.adminKey))).status).toBe(403);
  });

  it('lists a broker only its own organisation, newest first, with cursor pagination', async () => {
    const first = await t.http.get('/v1/declarations?limit=4').set(...bearer(acme));
    expect(first.body.items).toHaveLength(4);
    const second = await t.http.get(`/v1/declarations?limit=4&cursor=${first.body.nextCursor}`).set(...bearer(acme));
    const all = [...first.body.items, ...second.body.items];
    expect(all.map((d: { id: string }) => d.id)).toEqual([...acmeIds].reverse());
    expect(second.body.nextCursor).toBeNull();
    expect(all.every((d: { organization: string }) => d.organization === 'acme')).toBe(true);
  });

  it('filters by status, outcome, reference and time for the authority', async () => {
    const review = await t.http.get('/v1/declarations?status=under_review').set(...bearer(reviewer));
    expect(review.body.items.map((d: { id: string }) => d.id)).toEqual([acmeIds[5]]);
    const clear = await t.http.get('/v1/declarations?outcome=CLEAR').set(...bearer(reviewer));
    expect(clear.body.items).toHaveLength(6);
    const byRef = await t.http.get('/v1/declarations?reference=GLOBEX-1').set(...bearer(auditor));
    expect(byRef.body.items.map((d: { id: string }) => d.id)).toEqual([globexId]);
    const future = await t.http
      .get(`/v1/declarations?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
      .set(...bearer(reviewer));
    expect(future.body.items).toEqual([]);
    const bad = await t.http.get('/v1/declarations?status=lost&limit=9999').set(...bearer(reviewer));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['query.status', 'query.limit']),
    );
  });

  it('refuses to delete a decision record, even for the database owner', async () => {
    await expect(t.service.db.dataSource.query(`DELETE FROM declarations WHERE id = $1`, [globexId])).rejects.toThrow(
      /ten years/,
    );
    await expect(t.service.db.dataSource.query(`DELETE FROM screenings`)).rejects.toThrow(/ten years/);
  });
});
