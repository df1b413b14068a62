import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/observability/logger';
import { webhookJobHandlers } from '../../src/webhooks/delivery';
import { emitWebhookEvent, type WebhookEvent } from '../../src/webhooks/events';
import { verifySignature } from '../../src/webhooks/signing';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { Receiver } from './receiver';

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** Deliveries end to end: emitted inside a business transaction, signed, POSTed, retried. Run on both job backends. */
describe.each([
  ['BullMQ (Redis)', {}],
  ['in-process (no Redis)', { REDIS_URL: undefined }],
])('webhook deliveries through %s', (_backend, backend) => {
  let t: TestService;
  let receiver: Receiver;
  let broker: string;
  let org: string;
  let paths = 0;

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await startTestService({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: 100, ...backend });
  });
  // Each test in an organisation of its own, so earlier tests' webhooks hear none of its events.
  beforeEach(async () => {
    org = `acme-${paths}`;
    broker = await t.key('broker', org);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  async function register(events: string[] = ['declaration.screened', 'case.decided'], key = broker) {
    const path = `/hook-${++paths}`;
    const res = await t.http
      .post('/v1/webhooks')
      .set(...bearer(key))
      .send({ url: receiver.url(path), events });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, secret: res.body.secret as string, path };
  }

  /** What the features do: emit inside their own transaction. */
  function emit(event: Partial<WebhookEvent> = {}) {
    return t.service.uow.run((m) =>
      emitWebhookEvent(m, {
        type: 'declaration.screened',
        organization: org,
        subjectId: randomUUID(),
        data: { outcome: 'REVIEW' },
        ...event,
      }),
    );
  }

  async function deliveries(webhookId: string, key = broker): Promise<Delivery[]> {
    const res = await t.http.get(`/v1/webhooks/${webhookId}/deliveries`).set(...bearer(key));
    expect(res.status).toBe(200);
    return res.body.items;
  }

  const settled = (webhookId: string, status = 'delivered') =>
    eventually(async () => {
      const items = await deliveries(webhookId);
      return items.length > 0 && items.every((d) => d.status === status) ? items : undefined;
    });

  it('POSTs the event with a signature that verifies with the secret returned at creation', async () => {
    const hook = await register();
    const subjectId = randomUUID();
    await emit({ subjectId, eventId: 'evt-signed-1', data: { outcome: 'BLOCK', reference: 'R-1' } });
    const [delivery] = await settled(hook.id);
    expect(delivery).toMatchObject({
      eventId: 'evt-signed-1',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });

    const [req] = receiver.to(hook.path);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe('evt-signed-1');
    expect(req.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(req.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.headers['webhook-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    const verify = (secret: string) =>
      verifySignature({
        secret,
        signature: String(req.headers['webhook-signature']),
        timestamp: String(req.headers['webhook-timestamp']),
        body: req.body,
      });
    expect(verify(hook.secret)).toBe(true);
    expect(verify(hook.secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);

    expect(JSON.parse(req.body)).toEqual({
      id: 'evt-signed-1',
      type: 'declaration.screened',
      createdAt: expect.any(String),
      organization: org,
      data: { outcome: 'BLOCK', reference: 'R-1' },
    });
    expect(req.body).not.toContain(hook.secret);
  });

  it('retries a failed attempt with backoff and ends delivered with attempts 2', async () => {
    const hook = await register();
    receiver.answers = [500, 200];
    const start = receiver.requests.length;
    try {
      await emit({ eventId: 'evt-retry-1' });
      const [delivery] = await settled(hook.id);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null });
    } finally {
      receiver.answers = [200];
    }
    const sent = receiver.to(hook.path);
    expect(sent).toHaveLength(2);
    expect(receiver.requests.length - start).toBe(2);
    // Same event, same body, each attempt signed afresh.
    expect(sent[0].headers['webhook-id']).toBe(sent[1].headers['webhook-id']);
    expect(sent[0].body).toBe(sent[1].body);
    for (const req of sent) {
      expect(
        verifySignature({
          secret: hook.secret,
          signature: String(req.headers['webhook-signature']),
          timestamp: String(req.headers['webhook-timestamp']),
          body: req.body,
        }),
      ).toBe(true);
    }
  });

  it('records a failed attempt (status, error, next attempt) while retrying', async () => {
    const hook = await register();
    receiver.answers = [503, 503, 200];
    try {
      await emit({ eventId: 'evt-failing-1' });
      const pending = await eventually(async () => {
        const [d] = await deliveries(hook.id);
        return d && d.attempts >= 1 && d.status === 'pending' ? d : undefined;
      });
      expect(pending).toMatchObject({ lastStatusCode: 503, lastError: 'HTTP 503', nextAttemptAt: expect.any(String) });
      const [done] = await settled(hook.id);
      expect(done).toMatchObject({ attempts: 3, status: 'delivered' });
    } finally {
      receiver.answers = [200];
    }
  });

  it("sends only to the organisation's webhooks subscribed to the type, once per event id", async () => {
    const caseHook = await register(['case.decided']);
    const screenedHook = await register(['declaration.screened']);
    const otherOrg = await register(['case.decided'], await t.key('broker', 'other-brokers'));
    const subjectId = randomUUID();
    await emit({ type: 'case.decided', subjectId, eventId: 'evt-once' });
    await emit({ type: 'case.decided', subjectId, eventId: 'evt-once' }); // the same event again: deduplicated
    await settled(caseHook.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.to(caseHook.path)).toHaveLength(1);
    expect(receiver.to(screenedHook.path)).toHaveLength(0);
    expect(receiver.to(otherOrg.path)).toHaveLength(0);
    expect(await deliveries(caseHook.id)).toHaveLength(1);
  });

  it('sends nothing when the business transaction rolls back', async () => {
    const hook = await register();
    await expect(
      t.service.uow.run(async (m) => {
        await emitWebhookEvent(m, {
          type: 'declaration.screened',
          organization: org,
          subjectId: randomUUID(),
          data: {},
        });
        throw new Error('the screening failed');
      }),
    ).rejects.toThrow('the screening failed');
    await emit({ type: 'case.decided', eventId: 'evt-after-rollback' }); // a later event proves the pipeline ran
    await settled(hook.id);
    expect(receiver.to(hook.path)).toHaveLength(1);
    expect(JSON.parse(receiver.to(hook.path)[0].body).id).toBe('evt-after-rollback');
  });

  it('runs idempotent handlers: a delivered delivery is not sent again, a repeated dispatch adds nothing', async () => {
    const hook = await register();
    await emit({ eventId: 'evt-idem', subjectId: 'decl-idem' });
    const [delivery] = await settled(hook.id);
    const handlers = webhookJobHandlers({
      dataSource: t.service.db.dataSource,
      uow: t.service.uow,
      logger: createLogger('silent'),
      allowPrivate: true,
      policy: { attempts: 8, backoffMs: 100 },
    });
    await handlers['webhooks.deliver']({ deliveryId: delivery.id }, { attempt: 1, jobId: 'again' });
    await handlers['webhooks.deliver']({ deliveryId: delivery.id }, { attempt: 2, jobId: 'again' });
    await handlers['webhooks.dispatch'](
      {
        eventId: 'evt-idem',
        type: 'declaration.screened',
        organization: org,
        subjectId: 'decl-idem',
        createdAt: new Date().toISOString(),
        data: {},
      },
      { attempt: 1, jobId: 'again' },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.to(hook.path)).toHaveLength(1);
    expect(await deliveries(hook.id)).toEqual([
      expect.objectContaining({ id: delivery.id, attempts: 1, status: 'delivered' }),
    ]);
  });

  it("marks a delivery failed after its last attempt, with an audit event, and stops a deleted webhook's deliveries", async () => {
    const hook = await register();
    receiver.delayMs = 60_000; // hold the first attempt so the delivery stays pending while we look
    receiver.answers = [500];
    const ds = t.service.db.dataSource;
    try {
      await emit({ eventId: 'evt-last' });
      await eventually(async () => receiver.to(hook.path).length === 1);
      const handlers = webhookJobHandlers({
        dataSource: ds,
        uow: t.service.uow,
        logger: createLogger('silent'),
        allowPrivate: true,
        policy: { attempts: 1, backoffMs: 100 },
      });
      const [pending] = await deliveries(hook.id);
      // Another run holds the lease: this one must not send at the same time.
      await expect(
        handlers['webhooks.deliver']({ deliveryId: pending.id }, { attempt: 1, jobId: 'x' }),
      ).rejects.toThrow(/in progress/);
      receiver.delayMs = 0;
      // Pretend the lease ran out (say the process holding it died), then try once more as the last attempt.
      await ds.query(`UPDATE webhook_deliveries SET locked_until = NULL WHERE id = $1`, [pending.id]);
      await expect(
        handlers['webhooks.deliver']({ deliveryId: pending.id }, { attempt: 1, jobId: 'x' }),
      ).rejects.toThrow(/HTTP 500/);
      const [failed] = await deliveries(hook.id);
      expect(failed).toMatchObject({
        status: 'failed',
        lastStatusCode: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: null,
      });
      const audit = await ds.query(`SELECT action, data FROM audit_events WHERE subject_id = $1`, [pending.id]);
      expect(audit).toEqual([expect.objectContaining({ action: 'webhook_delivery.failed' })]);
      expect(audit[0].data).toMatchObject({ webhookId: hook.id, eventId: 'evt-last', statusCode: 500 });

      // The first attempt now fails too, late: the recorded outcome stands and nothing is retried.
      receiver.dropHeld();
      await new Promise((r) => setTimeout(r, 500));
      expect(await deliveries(hook.id)).toEqual([
        expect.objectContaining({ status: 'failed', attempts: 1, lastError: 'HTTP 500' }),
      ]);
      expect(receiver.to(hook.path)).toHaveLength(2);
    } finally {
      receiver.delayMs = 0;
      receiver.answers = [200];
    }

    // Deleting a webhook ends its pending deliveries.
    const doomed = await register();
    receiver.answers = [500];
    try {
      await emit({ eventId: 'evt-doomed' });
      await eventually(async () => (await deliveries(doomed.id))[0]?.attempts >= 1);
      await t.http
        .delete(`/v1/webhooks/${doomed.id}`)
        .set(...bearer(broker))
        .expect(204);
      const [row] = await ds.query(`SELECT status, last_error FROM webhook_deliveries WHERE webhook_id = $1`, [
        doomed.id,
      ]);
      expect(row).toEqual({ status: 'failed', last_error: 'webhook deleted' });
      const sentBefore = receiver.to(doomed.path).length;
      await new Promise((r) => setTimeout(r, 1000)); // longer than the next backoff
      expect(receiver.to(doomed.path)).toHaveLength(sentBefore);
    } finally {
      receiver.answers = [200];
    }
  });
});
