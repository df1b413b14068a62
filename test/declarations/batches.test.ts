import { declaration } from '../support/factories';
import { spawnWorker } from '../support/processes';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

function batchOf(n: number, invalidAt: number[] = []) {
  return Array.from({ length: n }, (_, i) =>
    invalidAt.includes(i)
      ? declaration({ reference: `B-${i}`, countryOfDestination: 'ZZ' })
      : declaration({ reference: `B-${i}-${Math.random().toString(36).slice(2, 8)}` }),
  );
}

describe('batches screened by background workers', () => {
  let t: TestService;
  let broker: string;
  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'batch-brokers');
  });
  afterAll(() => t.close());

  it('accepts a batch, screens every valid item once and reports progress and item errors', async () => {
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: batchOf(120, [7, 99]) });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ batchId: expect.any(String), total: 120, invalid: 2 });
    const done = await eventually(async () => {
      const b = await t.http.get(`/v1/batches/${res.body.batchId}`).set(...bearer(broker));
      expect(['queued', 'processing', 'completed']).toContain(b.body.status);
      return b.body.status === 'completed' ? b.body : undefined;
    }, 60000);
    expect(done.processed).toBe(120);
    expect(done.items).toHaveLength(120);
    const errors = done.items.filter((i: { error?: unknown }) => i.error);
    expect(errors.map((e: { index: number }) => e.index)).toEqual([7, 99]);
    expect(errors[0].error.errors[0].path).toBe('declarations[7].countryOfDestination');
    const [{ n }] = await t.service.db.dataSource.query(
      `SELECT count(*)::int AS n FROM declarations WHERE batch_id = $1`,
      [res.body.batchId],
    );
    expect(n).toBe(118);
    const other = await t.key('broker', 'someone-else');
    expect((await t.http.get(`/v1/batches/${res.body.batchId}`).set(...bearer(other))).status).toBe(404);
  });

  it('refuses more than 1,000 declarations and bodies over the batch limit, writing nothing', async () => {
    const tooMany = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: Array.from({ length: 1001 }, () => ({})) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].path).toBe('body.declarations');
    const huge = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ declarations: [{ reference: 'x'.repeat(11 * 1024 * 1024) }] }));
    expect(huge.status).toBe(413);
    const [{ n }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM batches`);
    expect(n).toBe(1);
  });
});

describe('a batch survives a worker crash', () => {
  let t: TestService;
  beforeAll(async () => {
    // The API only relays; the separate worker processes run the jobs.
    t = await startTestService({ RUN_JOBS_IN_API: 'false', JOB_LOCK_MS: 2000 });
  });
  afterAll(() => t.close());

  it('loses nothing and screens nothing twice when the worker is killed mid-batch', async () => {
    const broker = await t.key('broker', 'crash-brokers');
    const env = {
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: t.config.REDIS_URL!,
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      LOG_LEVEL: 'silent',
      JOB_LOCK_MS: '2000',
      WORKER_CONCURRENCY: '2',
    };
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: batchOf(400) });
    expect(res.status).toBe(202);
    const ds = t.service.db.dataSource;
    const processed = async () =>
      (await ds.query(`SELECT processed FROM batches WHERE id = $1`, [res.body.batchId]))[0].processed as number;

    const first = spawnWorker(env);
    await eventually(async () => (await processed()) >= 60, 60000);
    await first.kill('SIGKILL');
    const atCrash = await processed();
    expect(atCrash).toBeLessThan(400);

    const second = spawnWorker(env);
    try {
      await eventually(async () => (await processed()) === 400, 90000);
    } finally {
      await second.kill('SIGTERM');
    }
    const [{ n, distinct }] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT reference)::int AS distinct FROM declarations WHERE batch_id = $1`,
      [res.body.batchId],
    );
    expect(n).toBe(400);
    expect(distinct).toBe(400);
    const [{ screenings }] = await ds.query(
      `SELECT count(*)::int AS screenings FROM screenings s JOIN declarations d ON d.id = s.declaration_id WHERE d.batch_id = $1`,
      [res.body.batchId],
    );
    expect(screenings).toBe(400);
    const b = await t.http.get(`/v1/batches/${res.body.batchId}`).set(...bearer(broker));
    expect(b.body).toMatchObject({ status: 'completed', total: 400, processed: 400 });
  }, 180000);
});
