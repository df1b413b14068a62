import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createService, type Service } from '../../src/composition';
import { loadConfig } from '../../src/config/config';
import { QUEUE_NAME } from '../../src/jobs/bullmq-runner';
import { declaration } from '../support/factories';
import { TEST_REDIS_URL } from '../support/env';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const GOODS_CSV = 'prefix,severity,label,source\n8542.31,high,Processors,test\n8807,medium,UAV parts,test\n';

/** A process that runs jobs (and so the reconciler) over an existing database. */
async function startWorker(databaseUrl: string, overrides: Record<string, unknown>): Promise<Service> {
  const service = await createService(
    loadConfig(
      {},
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        OUTBOX_POLL_MS: 100,
        LIST_REFRESH_MS: 200,
        AUDIT_SEAL_INTERVAL_MS: 100,
        DB_POOL_SIZE: 5,
        ...overrides,
      },
    ),
    'worker',
  );
  await service.start();
  return service;
}

describe('the reconciler re-queues a version stuck importing whose job is gone (BullMQ)', () => {
  let t: TestService;
  let worker: Service | undefined;
  beforeAll(async () => {
    // This process only relays: the job waits in Redis until the test takes it away.
    t = await startTestService({ RUN_JOBS_IN_API: 'false' });
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('relays the import again under a new job id and the version activates', async () => {
    const ds = t.service.db.dataSource;
    const res = await t.http
      .post('/v1/lists/lost-goods/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'goods-csv')
      .field('kind', 'goods')
      .attach('file', Buffer.from(GOODS_CSV), 'goods.csv');
    expect(res.status).toBe(202);
    const versionId = res.body.versionId as string;
    const key = `lists.import:${versionId}`;
    const relayed = await eventually(async () => {
      const [row] = await ds.query(`SELECT id, status, job_id FROM outbox WHERE dedupe_key = $1`, [key]);
      return row.status === 'relayed' ? row : undefined;
    });

    // The job disappears from Redis (an eviction, a flush, a failover): the outbox says relayed, nothing will run it.
    const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection, prefix: t.config.QUEUE_PREFIX });
    try {
      expect(await queue.remove(relayed.job_id)).toBe(1);
      expect(await queue.getJobState(relayed.job_id)).toBe('unknown');
    } finally {
      await queue.close();
      connection.disconnect();
    }
    expect(
      (await t.http.get(`/v1/lists/lost-goods/versions/${versionId}`).set(...bearer(t.adminKey))).body.status,
    ).toBe('importing');

    worker = await startWorker(t.databaseUrl, {
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      RECONCILE_AFTER_MS: 300,
      RECONCILE_INTERVAL_MS: 200,
    });
    const version = await eventually(async () => {
      const v = await t.http.get(`/v1/lists/lost-goods/versions/${versionId}`).set(...bearer(t.adminKey));
      return v.body.status === 'active' ? v.body : undefined;
    }, 30000);
    expect(version.entryCount).toBe(2);
    const [row] = await ds.query(`SELECT status, job_id, last_error FROM outbox WHERE dedupe_key = $1`, [key]);
    expect(row.status).toBe('relayed');
    expect(row.job_id).not.toBe(relayed.job_id);
    expect(row.last_error).toMatch(/re-queued by the reconciler/);
    // Once done, later passes find nothing to repair.
    expect(await worker.reconciler!.reconcileOnce()).toEqual({ requeued: 0, failed: 0 });
  }, 60000);
});

describe('the reconciler finishes a batch whose chunk jobs ended without screening their items (in-process)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ REDIS_URL: undefined, RECONCILE_AFTER_MS: 300, RECONCILE_INTERVAL_MS: 3600000 });
  });
  afterAll(() => t.close());

  it('re-queues only the chunks with items left and screens each item once', async () => {
    const ds = t.service.db.dataSource;
    const broker = await t.key('broker', 'stuck-brokers');
    // No job runs while the batch is accepted; then its rows end as if a runner had finished them and lost the work.
    await t.service.jobs.stop();
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: Array.from({ length: 120 }, (_, i) => declaration({ reference: `STUCK-${i}` })) });
    expect(res.status).toBe(202);
    const batchId = res.body.batchId as string;
    await ds.query(`UPDATE batches SET status = 'processing' WHERE id = $1`, [batchId]);
    await ds.query(`UPDATE outbox SET status = 'done', attempts = 1, finished_at = now() WHERE dedupe_key LIKE $1`, [
      `batches.screen:${batchId}:%`,
    ]);
    // The first chunk really was screened before: the reconciler must leave it alone.
    await ds.query(`UPDATE batch_items SET error = '{"code":"test"}'::jsonb WHERE batch_id = $1 AND idx < 50`, [
      batchId,
    ]);
    await ds.query(`UPDATE batches SET processed = 50 WHERE id = $1`, [batchId]);

    // Work younger than RECONCILE_AFTER_MS is not touched.
    await ds.query(`UPDATE batches SET created_at = now() WHERE id = $1`, [batchId]);
    expect(await t.service.reconciler!.reconcileOnce()).toEqual({ requeued: 0, failed: 0 });
    await ds.query(`UPDATE batches SET created_at = now() - interval '1 minute' WHERE id = $1`, [batchId]);

    // Two passes at once (as from two processes): the rows are re-queued once.
    const passes = await Promise.all([t.service.reconciler!.reconcileOnce(), t.service.reconciler!.reconcileOnce()]);
    expect(passes.reduce((n, p) => n + p.requeued, 0)).toBe(2);
    const rows = await ds.query(
      `SELECT dedupe_key, status, attempts FROM outbox WHERE dedupe_key LIKE $1 ORDER BY id`,
      [`batches.screen:${batchId}:%`],
    );
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['done', 'pending', 'pending']);

    await t.service.jobs.start();
    const done = await eventually(async () => {
      const b = await t.http.get(`/v1/batches/${batchId}`).set(...bearer(broker));
      return b.body.status === 'completed' ? b.body : undefined;
    }, 30000);
    expect(done.processed).toBe(120);
    const [{ n, distinct }] = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT reference)::int AS distinct FROM declarations WHERE batch_id = $1`,
      [batchId],
    );
    expect({ n, distinct }).toEqual({ n: 70, distinct: 70 });
  }, 60000);
});

describe('the reconciler records the failure of a job that gave up without recording it (in-process)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ REDIS_URL: undefined, RECONCILE_AFTER_MS: 300, RECONCILE_INTERVAL_MS: 3600000 });
  });
  afterAll(() => t.close());

  it("fails the batch with the job's last error instead of retrying it forever", async () => {
    const ds = t.service.db.dataSource;
    const broker = await t.key('broker', 'gave-up-brokers');
    await t.service.jobs.stop();
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: Array.from({ length: 10 }, (_, i) => declaration({ reference: `GU-${i}` })) });
    const batchId = res.body.batchId as string;
    // The runner marked the row failed but died before the final-failure handler ran.
    await ds.query(`UPDATE batches SET status = 'processing', created_at = now() - interval '1 minute' WHERE id = $1`, [
      batchId,
    ]);
    await ds.query(
      `UPDATE outbox SET status = 'failed', attempts = 10, last_error = 'connection terminated unexpectedly', finished_at = now() WHERE dedupe_key = $1`,
      [`batches.screen:${batchId}:0`],
    );

    expect(await t.service.reconciler!.reconcileOnce()).toEqual({ requeued: 0, failed: 1 });
    const b = (await t.http.get(`/v1/batches/${batchId}`).set(...bearer(broker))).body;
    expect(b).toMatchObject({
      status: 'failed',
      processed: 0,
      error: 'item 0 could not be screened: connection terminated unexpectedly',
    });
    expect(await t.service.reconciler!.reconcileOnce()).toEqual({ requeued: 0, failed: 0 });
  }, 30000);
});
