import { declaration } from '../support/factories';
import { spawnWorker } from '../support/processes';
import { OwnRedis } from '../support/servers';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

describe('a batch survives Redis restarting without its data', () => {
  let redis: OwnRedis;
  let t: TestService;
  beforeAll(async () => {
    redis = await OwnRedis.start();
    // This process only relays; a worker process started later runs the jobs.
    t = await startTestService({ REDIS_URL: redis.url, RUN_JOBS_IN_API: 'false' });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('relays the lost jobs again and screens every item once', async () => {
    const ds = t.service.db.dataSource;
    await eventually(
      async () => (await ds.query(`SELECT 1 FROM job_backend_state WHERE key = 'redis_run_id'`)).length === 1,
    );
    const broker = await t.key('broker', 'restart-brokers');
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: Array.from({ length: 300 }, (_, i) => declaration({ reference: `RR-${i}` })) });
    expect(res.status).toBe(202);
    await eventually(async () => {
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'batches.screen' AND status = 'relayed'`,
      );
      return n === 6;
    });

    // Redis dies and comes back empty (no persistence): the six relayed jobs are gone from it.
    await redis.stop();
    await redis.start();
    const worker = spawnWorker({
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    });
    try {
      const done = await eventually(async () => {
        const b = await t.http.get(`/v1/batches/${res.body.batchId}`).set(...bearer(broker));
        return b.body.status === 'completed' ? b.body : undefined;
      }, 60000).catch(async (err) => {
        const outbox = await ds.query(`SELECT job_name, status, count(*)::int AS n FROM outbox GROUP BY 1, 2`);
        throw new Error(
          `${err.message}; outbox ${JSON.stringify(outbox)}; worker said: ${worker.output().slice(-2000)}`,
        );
      });
      expect(done.processed).toBe(300);
    } finally {
      await worker.kill('SIGTERM');
    }
    const [{ n, distinct }] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT reference)::int AS distinct FROM declarations WHERE batch_id = $1`,
      [res.body.batchId],
    );
    expect({ n, distinct }).toEqual({ n: 300, distinct: 300 });
  }, 120000);
});
