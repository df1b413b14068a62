import { declaration } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { Receiver } from '../webhooks/receiver';

/**
 * A chunk that fails on every attempt. The cause is real PostgreSQL refusing the write: a check constraint (as a DBA
 * might add) that one item's reference breaks, so item 55 passes request validation and is screened, but its
 * declaration can never be stored. Retries are shortened (BATCH_RETRY_BASE_MS) so the 10 attempts take seconds.
 */
function batchFailure(mode: string, overrides: Record<string, unknown>) {
  describe(`a batch whose chunk exhausts its retries ends failed (${mode})`, () => {
    let t: TestService;
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await Receiver.start();
      t = await startTestService({ BATCH_RETRY_BASE_MS: 20, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...overrides });
      await t.service.db.dataSource.query(
        `ALTER TABLE declarations ADD CONSTRAINT declarations_no_poison CHECK (reference <> 'POISON-55') NOT VALID`,
      );
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
    });

    it('shows status failed with the reason, keeps the items already screened, and the other chunks finish', async () => {
      const broker = await t.key('broker', `poison-${mode}`);
      const hook = await t.http
        .post('/v1/webhooks')
        .set(...bearer(broker))
        .send({ url: receiver.url('/batches'), events: ['batch.failed'] });
      expect(hook.status).toBe(201);
      const declarations = Array.from({ length: 120 }, (_, i) =>
        declaration({ reference: i === 55 ? 'POISON-55' : `PB-${i}` }),
      );
      const res = await t.http
        .post('/v1/declarations/batch')
        .set(...bearer(broker))
        .send({ declarations });
      expect(res.status).toBe(202);
      const batchId = res.body.batchId as string;
      const ds = t.service.db.dataSource;

      const failed = await eventually(async () => {
        const b = await t.http.get(`/v1/batches/${batchId}`).set(...bearer(broker));
        return b.body.status === 'failed' ? b.body : undefined;
      }, 60000);
      expect(failed.error).toMatch(/^item 55 could not be screened: .*declarations_no_poison/);
      // The backend gave the job up (the failure was recorded on its last attempt, before that).
      const [row] = await ds.query(
        `SELECT id, status, attempts, COALESCE(job_id::text, 'o' || id) AS job_id FROM outbox WHERE dedupe_key = $1`,
        [`batches.screen:${batchId}:50`],
      );
      expect(
        await eventually(
          async () =>
            (await t.service.jobs.liveness([{ id: row.id, status: row.status, jobId: row.job_id }]))[0] === 'failed',
        ),
      ).toBe(true);
      if (row.status !== 'relayed')
        expect(await ds.query(`SELECT status, attempts FROM outbox WHERE id = $1`, [row.id])).toEqual([
          { status: 'failed', attempts: 10 },
        ]);
      // Chunks 0-49 and 100-119 finish; 50-54 were screened before the failing item.
      await eventually(async () => {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM declarations WHERE batch_id = $1`, [batchId]);
        return n === 75 ? n : undefined;
      }, 30000);
      const after = (await t.http.get(`/v1/batches/${batchId}`).set(...bearer(broker))).body;
      expect(after.status).toBe('failed');
      expect(after.processed).toBe(75);
      expect(after.items.map((i: { index: number }) => i.index)).toEqual([
        ...Array.from({ length: 55 }, (_, i) => i),
        ...Array.from({ length: 20 }, (_, i) => 100 + i),
      ]);
      const [audit] = await ds.query(
        `SELECT data FROM audit_events WHERE action = 'batch.failed' AND subject_id = $1`,
        [batchId],
      );
      expect(audit.data.error).toBe(failed.error);
      // The broker is told, once, with the reason (and nothing of it before the failure).
      const told = await eventually(
        async () => (receiver.to('/batches').length ? receiver.to('/batches') : undefined),
        30000,
      );
      expect(told).toHaveLength(1);
      const event = JSON.parse(told[0].body);
      expect(event).toMatchObject({ type: 'batch.failed', data: { batchId, total: 120, error: failed.error } });
      // Nothing repairs a failed batch: it stays failed.
      expect(await t.service.reconciler!.reconcileOnce()).toEqual({ requeued: 0, failed: 0 });
    }, 90000);
  });
}

batchFailure('BullMQ', {});
batchFailure('in-process', { REDIS_URL: undefined });
