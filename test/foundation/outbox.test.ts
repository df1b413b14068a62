import { assertHandlers, JOB_NAMES, MissingJobHandlerError } from '../../src/jobs/catalogue';
import { OwnRedis } from '../support/servers';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const GOODS_CSV = 'prefix,severity,label,source\n8542.31,high,Processors,test\n8807,medium,UAV parts,test\n';

function upload(t: TestService, listId: string) {
  return t.http
    .post(`/v1/lists/${listId}/versions`)
    .set(...bearer(t.adminKey))
    .field('format', 'goods-csv')
    .field('kind', 'goods')
    .attach('file', Buffer.from(GOODS_CSV), 'goods.csv');
}

describe('job catalogue', () => {
  it('refuses to start a worker when a catalogued job has no handler', () => {
    expect(() => assertHandlers({})).toThrow(MissingJobHandlerError);
    expect(() => assertHandlers({})).toThrow(/lists\.import/);
    expect(() => assertHandlers(Object.fromEntries(JOB_NAMES.map((n) => [n, async () => undefined])))).not.toThrow();
  });
});

describe('transactional outbox through a Redis outage', () => {
  let redis: OwnRedis;
  let t: TestService;
  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestService({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('accepts the change while Redis is down and runs its job exactly once after Redis returns', async () => {
    await redis.stop();
    const res = await upload(t, 'outage-goods');
    expect(res.status).toBe(202);
    const versionId = res.body.versionId;
    const ds = t.service.db.dataSource;

    // Nothing can run while Redis is down: the job waits in the outbox, committed with the change.
    await new Promise((r) => setTimeout(r, 1000));
    const [pending] = await ds.query(
      `SELECT status FROM outbox WHERE job_name = 'lists.import' AND payload->>'versionId' = $1`,
      [versionId],
    );
    expect(pending.status).toBe('pending');
    expect(
      (await t.http.get(`/v1/lists/outage-goods/versions/${versionId}`).set(...bearer(t.adminKey))).body.status,
    ).toBe('importing');
    // Redis down is reported but the API stays ready: it answers submissions from the database alone.
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', lists: 'ok', redis: 'down' });

    await redis.start();
    const version = await eventually(async () => {
      const v = await t.http.get(`/v1/lists/outage-goods/versions/${versionId}`).set(...bearer(t.adminKey));
      return v.body.status === 'active' ? v.body : undefined;
    }, 20000);
    expect(version.entryCount).toBe(2);
    const [relayed] = await ds.query(
      `SELECT status FROM outbox WHERE job_name = 'lists.import' AND payload->>'versionId' = $1`,
      [versionId],
    );
    expect(relayed.status).toBe('relayed');
    // Exactly once in effect: one activation, one set of entries.
    await new Promise((r) => setTimeout(r, 500));
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'list_version.activated' AND subject_id = $1`,
      [versionId],
    );
    expect(n).toBe(1);
    const [{ e }] = await ds.query(`SELECT count(*)::int AS e FROM goods_entries WHERE version_id = $1`, [versionId]);
    expect(e).toBe(2);
    expect((await t.http.get('/readyz')).status).toBe(200);
  });

  it('relays a row only once even when the relay runs again', async () => {
    const res = await upload(t, 'twice-goods');
    await eventually(
      async () =>
        (await t.http.get(`/v1/lists/twice-goods/versions/${res.body.versionId}`).set(...bearer(t.adminKey))).body
          .status === 'active',
    );
    const ds = t.service.db.dataSource;
    // Simulate a crash between the add to BullMQ and the mark: the row is pending again and relayed a second time.
    await ds.query(
      `UPDATE outbox SET status = 'pending' WHERE job_name = 'lists.import' AND payload->>'versionId' = $1`,
      [res.body.versionId],
    );
    t.service.jobs.wake();
    await eventually(
      async () =>
        (
          await ds.query(`SELECT status FROM outbox WHERE job_name = 'lists.import' AND payload->>'versionId' = $1`, [
            res.body.versionId,
          ])
        )[0].status === 'relayed',
    );
    await new Promise((r) => setTimeout(r, 500));
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'list_version.activated' AND subject_id = $1`,
      [res.body.versionId],
    );
    expect(n).toBe(1);
  });
});

describe('in-process jobs (no Redis configured)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ REDIS_URL: undefined });
  });
  afterAll(() => t.close());

  it('runs the same handlers from the outbox in this process', async () => {
    const res = await upload(t, 'local-goods');
    expect(res.status).toBe(202);
    const v = await eventually(async () => {
      const r = await t.http.get(`/v1/lists/local-goods/versions/${res.body.versionId}`).set(...bearer(t.adminKey));
      return r.body.status === 'active' ? r.body : undefined;
    });
    expect(v.entryCount).toBe(2);
    // The runner marks the row done right after the handler returns.
    const row = await eventually(async () => {
      const [r] = await t.service.db.dataSource.query(
        `SELECT status, attempts FROM outbox WHERE job_name = 'lists.import' AND payload->>'versionId' = $1`,
        [res.body.versionId],
      );
      return r.status === 'pending' ? undefined : r;
    });
    expect(row).toEqual({ status: 'done', attempts: 1 });
    expect((await t.http.get('/readyz')).body.checks).toEqual({ database: 'ok', lists: 'ok' });
  });
});
