import { Client } from 'pg';
import { declaration } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

describe('a hung in-process job does not hold its loop forever', () => {
  let t: TestService;
  let locker: Client | undefined;
  beforeAll(async () => {
    // One job loop, so a job that never settles would stop all the others.
    t = await startTestService({
      REDIS_URL: undefined,
      WORKER_CONCURRENCY: 1,
      JOB_TIMEOUT_MS: 1500,
      BATCH_RETRY_BASE_MS: 200,
      DB_POOL_SIZE: 10,
    });
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await t.close();
  });

  it('gives the attempt up after JOB_TIMEOUT_MS, runs the next job, and the retried one finishes once unblocked', async () => {
    const ds = t.service.db.dataSource;
    const broker = await t.key('broker', 'hung-brokers');
    await t.service.jobs.stop();
    const batch = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: Array.from({ length: 5 }, (_, i) => declaration({ reference: `HUNG-${i}` })) });
    expect(batch.status).toBe(202);
    const batchId = batch.body.batchId as string;
    const upload = await t.http
      .post('/v1/lists/after-hung/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'goods-csv')
      .field('kind', 'goods')
      .attach('file', Buffer.from('prefix,severity,label\n8542.31,high,Processors\n'), 'goods.csv');
    expect(upload.status).toBe(202);

    // Another session holds the batch row: the chunk job waits on it (as on a query whose answer never comes).
    locker = new Client({ connectionString: t.databaseUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM batches WHERE id = $1 FOR UPDATE`, [batchId]);
    await t.service.jobs.start();

    const version = await eventually(async () => {
      const v = await t.http.get(`/v1/lists/after-hung/versions/${upload.body.versionId}`).set(...bearer(t.adminKey));
      return v.body.status === 'active' ? v.body : undefined;
    }, 30000);
    expect(version.entryCount).toBe(1);
    const [chunk] = await ds.query(`SELECT status, attempts, last_error FROM outbox WHERE dedupe_key = $1`, [
      `batches.screen:${batchId}:0`,
    ]);
    expect(chunk.status).toBe('pending');
    expect(chunk.attempts).toBeGreaterThanOrEqual(1);
    expect(chunk.last_error).toMatch(/did not finish within 1500 ms/);
    expect((await t.http.get(`/v1/batches/${batchId}`).set(...bearer(broker))).body.processed).toBe(0);

    await locker.query('ROLLBACK');
    const done = await eventually(async () => {
      const b = await t.http.get(`/v1/batches/${batchId}`).set(...bearer(broker));
      return b.body.status === 'completed' ? b.body : undefined;
    }, 30000);
    expect(done.processed).toBe(5);
    // The abandoned attempts and the retry all went on once unblocked: each item was still screened once.
    await new Promise((r) => setTimeout(r, 1000));
    const [{ n, distinct }] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT reference)::int AS distinct FROM declarations WHERE batch_id = $1`,
      [batchId],
    );
    expect({ n, distinct }).toEqual({ n: 5, distinct: 5 });
  }, 60000);
});
