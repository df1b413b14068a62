import { declaration, submit, uploadList } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { keyWithId, uploadWatchList } from './helpers';

const NEWLY_LISTED = 'Glacier Peak Instruments LLC';

describe('delta re-screening when a list version activates', () => {
  let t: TestService;
  let broker: string;
  let reviewer: { id: string; secret: string };
  const ds = () => t.service.db.dataSource;

  async function rescreenOf(listId: string, versionId: string) {
    return eventually(async () => {
      const v = await t.http.get(`/v1/lists/${listId}/versions/${versionId}`).set(...bearer(t.adminKey));
      return v.body.rescreen?.status === 'completed' ? v.body.rescreen : undefined;
    }, 30000);
  }

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await keyWithId(t, 'reviewer');
  });
  afterAll(() => t.close());

  it('flags a declaration cleared yesterday when a new version lists its consignee, and leaves older ones alone', async () => {
    const v1 = await uploadWatchList(t, 'watch', [{ id: 'G-1', name: 'Existing Sanctioned Entity LLC' }]);
    expect((await rescreenOf('watch', v1.id)).status).toBe('completed');

    const yesterday = await submit(t.http, broker, declaration({ consignee: { name: NEWLY_LISTED, country: 'KZ' } }));
    const lastMonth = await submit(t.http, broker, declaration({ consignee: { name: NEWLY_LISTED, country: 'KZ' } }));
    const unrelated = await submit(t.http, broker, declaration());
    for (const r of [yesterday, lastMonth, unrelated])
      expect(r.body).toMatchObject({ status: 'cleared', caseId: null });
    await ds().query(
      `UPDATE declarations SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day' WHERE id = $1`,
      [yesterday.body.id],
    );
    await ds().query(
      `UPDATE declarations SET created_at = now() - interval '40 days', updated_at = now() - interval '40 days' WHERE id = $1`,
      [lastMonth.body.id],
    );

    const v2 = await uploadWatchList(t, 'watch', [
      { id: 'G-1', name: 'Existing Sanctioned Entity LLC' },
      { id: 'G-2', name: NEWLY_LISTED, countries: ['KZ'] },
    ]);
    const run = await rescreenOf('watch', v2.id);
    expect(run).toMatchObject({
      status: 'completed',
      deltaEntries: 1,
      flagged: 1,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      error: null,
    });
    expect(run.candidates).toBeGreaterThanOrEqual(2);
    expect(run.processed).toBe(run.candidates);

    const flagged = await t.http.get(`/v1/declarations/${yesterday.body.id}`).set(...bearer(reviewer.secret));
    expect(flagged.body).toMatchObject({
      status: 'under_review',
      screening: { trigger: 'rescreen' },
      case: { status: 'open' },
    });
    expect(flagged.body.screening.hits).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'party', listId: 'watch', entryId: 'G-2' })]),
    );
    expect(flagged.body.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['declaration.rescreened', 'case.opened']),
    );
    const cases = await t.http.get('/v1/cases?status=open').set(...bearer(reviewer.secret));
    expect(cases.body.items.map((c: { declarationId: string }) => c.declarationId)).toContain(yesterday.body.id);

    for (const id of [lastMonth.body.id, unrelated.body.id]) {
      expect((await t.http.get(`/v1/declarations/${id}`).set(...bearer(reviewer.secret))).body.status).toBe('cleared');
    }
    const [audit] = await ds().query(
      `SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'list_version.rescreen_completed'`,
      [v2.id],
    );
    expect(audit.data).toMatchObject({ flagged: 1, deltaEntries: 1 });
  });

  it('is idempotent: running the job again, or again from the start, records nothing twice', async () => {
    // A run of the test's own that flagged one declaration: a list of its own whose second version lists a consignee.
    await rescreenOf(
      'watch-again',
      (await uploadWatchList(t, 'watch-again', [{ id: 'A-1', name: 'Existing Sanctioned Entity LLC' }])).id,
    );
    const declared = await submit(
      t.http,
      broker,
      declaration({ consignee: { name: 'Fjord Valley Instruments LLC', country: 'KZ' } }),
    );
    expect(declared.body).toMatchObject({ status: 'cleared', caseId: null });
    const v2 = await uploadWatchList(t, 'watch-again', [
      { id: 'A-1', name: 'Existing Sanctioned Entity LLC' },
      { id: 'A-2', name: 'Fjord Valley Instruments LLC', countries: ['KZ'] },
    ]);
    expect(await rescreenOf('watch-again', v2.id)).toMatchObject({ status: 'completed', flagged: 1 });
    const v = { version_id: v2.id };
    const count = async () =>
      (await ds().query(`SELECT count(*)::int AS n FROM screenings WHERE trigger = 'rescreen'`))[0].n;
    const before = await count();
    await ds().query(`UPDATE rescreen_runs SET status = 'queued', locked_until = NULL WHERE version_id = $1`, [
      v.version_id,
    ]);
    await ds().query(`INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ('lists.rescreen', $1::jsonb, $2)`, [
      JSON.stringify({ versionId: v.version_id }),
      `lists.rescreen:${v.version_id}:again`,
    ]);
    t.service.jobs.wake();
    const run = await eventually(async () => {
      const [r] = await ds().query(
        `SELECT status, flagged, processed, candidates, started_at FROM rescreen_runs WHERE version_id = $1`,
        [v.version_id],
      );
      return r.status === 'completed' ? r : undefined;
    });
    expect(run.flagged).toBe(1);
    expect(await count()).toBe(before);
  });

  it('re-screens against goods prefixes a goods list version adds', async () => {
    const goods = (rows: string[]) => Buffer.from(['prefix,severity,label', ...rows].join('\n'));
    const g1 = await uploadList(
      t.http,
      t.adminKey,
      'house-goods',
      'goods-csv',
      { file: goods(['9999,low,placeholder']) },
      'goods',
    );
    await rescreenOf('house-goods', g1.id);
    // Bound for a high-risk country: harmless goods stay below the review threshold, controlled ones do not.
    const desks = await submit(
      t.http,
      broker,
      declaration({
        consignee: { name: 'Astana Interiors LLP', country: 'RU' },
        items: [
          {
            lineNo: 1,
            hsCode: '9401.61',
            description: 'Upholstered office chairs',
            countryOfOrigin: 'TR',
            value: { amount: 9000, currency: 'USD' },
          },
        ],
      }),
    );
    expect(desks.body.status).toBe('cleared');
    const g2 = await uploadList(
      t.http,
      t.adminKey,
      'house-goods',
      'goods-csv',
      { file: goods(['9999,low,placeholder', '940161,high,Upholstered seats (house rule)']) },
      'goods',
    );
    const run = await rescreenOf('house-goods', g2.id);
    expect(run).toMatchObject({ deltaEntries: 1, flagged: 1 });
    const now = await t.http.get(`/v1/declarations/${desks.body.id}`).set(...bearer(reviewer.secret));
    expect(now.body.status).toBe('under_review');
    expect(now.body.screening.hits).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'goods', listId: 'house-goods', entryId: '940161' })]),
    );
  });
});
