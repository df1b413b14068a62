import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUE_NAME } from '../../src/jobs/bullmq-runner';
import { TEST_REDIS_URL } from '../support/env';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const GOODS_TSV =
  'prefix\tseverity\tlabel\tsource\n8542.31\thigh\tProcessors\ttest\n8807\tmedium\tUAV parts\ttest\n8526.91\tmedium\tRadio navigation\ttest\n';

async function importOnce(t: TestService): Promise<{ outboxId: string; jobId: string; entryCount: number }> {
  const ds = t.service.db.dataSource;
  // Both databases hand out the same outbox ids from here on, as two fresh databases (or a restored backup) do.
  await ds.query(`SELECT setval('outbox_id_seq', 1000000)`);
  const res = await t.http
    .post('/v1/lists/shared-goods/versions')
    .set(...bearer(t.adminKey))
    .field('format', 'goods-tsv')
    .field('kind', 'goods')
    .attach('file', Buffer.from(GOODS_TSV), 'goods.tsv');
  expect(res.status).toBe(202);
  const version = await eventually(async () => {
    const v = await t.http.get(`/v1/lists/shared-goods/versions/${res.body.versionId}`).set(...bearer(t.adminKey));
    return v.body.status === 'active' ? v.body : undefined;
  }, 30000).catch(async (err) => {
    const rows = await ds.query(`SELECT id, job_name, status, job_id FROM outbox WHERE dedupe_key = $1`, [
      `lists.import:${res.body.versionId}`,
    ]);
    throw new Error(`${err.message}; outbox ${JSON.stringify(rows)}`);
  });
  const [row] = await ds.query(`SELECT id, job_id FROM outbox WHERE dedupe_key = $1`, [
    `lists.import:${res.body.versionId}`,
  ]);
  return { outboxId: row.id, jobId: row.job_id, entryCount: version.entryCount };
}

describe('job ids are unique across databases', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it('imports the list of a second fresh database on the Redis and queue prefix the first one used', async () => {
    const runs = [];
    for (let i = 0; i < 2; i += 1) {
      // One after the other, as a database replaced by a fresh one or by a restore: the first one's jobs stay in Redis.
      const t = await startTestService({ QUEUE_PREFIX: prefix });
      try {
        runs.push(await importOnce(t));
      } finally {
        await t.close();
      }
    }
    // The same outbox id: with job ids `o<outbox id>` BullMQ would have dropped the second import as a duplicate.
    expect(runs[1].outboxId).toBe(runs[0].outboxId);
    expect(runs[1].jobId).not.toBe(runs[0].jobId);
    expect(runs.map((r) => r.entryCount)).toEqual([3, 3]);

    const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection, prefix });
    try {
      expect(await queue.getJobState(runs[0].jobId)).toBe('completed');
      expect(await queue.getJobState(runs[1].jobId)).toBe('completed');
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 90000);
});
