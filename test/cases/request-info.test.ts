import { randomUUID } from 'node:crypto';
import { escalateOverdue } from '../../src/cases/sla';
import { pdf, uploadDocument } from '../support/documents';
import { declaration } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { Receiver } from '../webhooks/receiver';
import {
  auditActions,
  claim,
  decide,
  keyWithId,
  reviewLevelDeclaration,
  submitForCase,
  uploadWatchList,
} from './helpers';

const REASON = 'Internal: CHPL hit on line 1, end use unclear';
const MESSAGE = 'Please send the end-use statement signed by the consignee for line 1.';

/** A PDF uploaded to the declaration through the API by `key`; its id. */
async function uploaded(t: TestService, key: string, declarationId: string, filename = 'end-use.pdf'): Promise<string> {
  const res = await uploadDocument(t.http, key, declarationId, pdf(1234), filename);
  expect(res.status).toBe(201);
  return res.body.id;
}

function respond(t: TestService, key: string, declarationId: string, body: Record<string, unknown>) {
  return t.http
    .post(`/v1/declarations/${declarationId}/responses`)
    .set(...bearer(key))
    .send(body);
}

describe('requests for information', () => {
  let t: TestService;
  let receiver: Receiver;
  let broker: string;
  let otherBroker: string;
  let reviewer: { id: string; secret: string };
  let supervisor: { id: string; secret: string };
  let hookPath: string;
  const ds = () => t.service.db.dataSource;
  const count = async (sql: string, params: unknown[]) => (await ds().query(sql, params))[0].n as number;

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await startTestService({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: 100 });
    broker = await t.key('broker', 'acme-brokers');
    otherBroker = await t.key('broker', 'other-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    supervisor = await keyWithId(t, 'supervisor');
    hookPath = '/rfi';
    const hook = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url: receiver.url(hookPath), events: ['case.information_requested'] });
    expect(hook.status).toBe(201);
  }, 90000);
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  /** A case claimed by the reviewer (the queue is empty between tests: each leaves its case closed or out of the queue). */
  async function claimedCase() {
    const { caseId, declarationId } = await submitForCase(t, broker, reviewLevelDeclaration());
    const res = await claim(t, reviewer.secret);
    expect(res.body.id).toBe(caseId);
    return { caseId: caseId!, declarationId };
  }

  async function requestInfo() {
    const c = await claimedCase();
    const res = await decide(t, reviewer.secret, c.caseId, {
      action: 'request_info',
      reason: REASON,
      message: `  ${MESSAGE}  `,
    });
    expect(res.status).toBe(200);
    return { ...c, decided: res.body };
  }

  it('runs the whole loop: request pauses the SLA and leaves the queue; the broker sees the message only, answers, and the case is back with the answer on top', async () => {
    const { caseId, declarationId } = await claimedCase();
    const before = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body.case;
    const decided = await decide(t, reviewer.secret, caseId, {
      action: 'request_info',
      reason: REASON,
      message: `  ${MESSAGE}  `,
    });
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toMatchObject({ action: 'request_info', approval: 'not_required', reason: REASON });
    expect(decided.body.case).toMatchObject({
      status: 'information_requested',
      assignee: null,
      claimed: false,
      leaseExpiresAt: null,
      deadline: before.deadline,
    });
    expect(decided.body.case.slaPausedAt).toEqual(expect.any(String));

    // Out of every queue: neither a reviewer nor a supervisor can claim it.
    expect((await claim(t, reviewer.secret)).status).toBe(204);
    expect((await claim(t, supervisor.secret)).status).toBe(204);

    const detail = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body;
    expect(detail.declaration.status).toBe('information_requested');
    expect(detail.informationRequests).toHaveLength(1);
    const request = detail.informationRequests[0];
    expect(request).toMatchObject({
      status: 'open',
      message: MESSAGE,
      decisionId: decided.body.decision.id,
      requestedBy: { keyId: reviewer.id },
      response: null,
      overdueAt: null,
    });
    expect(Date.parse(request.respondBy) - Date.parse(request.requestedAt)).toBe(72 * 3_600_000);
    expect(request.requestedAt).toBe(decided.body.case.slaPausedAt);

    // The broker: the message and the dates, nothing of the review.
    const seen = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker));
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('information_requested');
    expect(seen.body.informationRequest).toEqual({
      message: MESSAGE,
      requestedAt: request.requestedAt,
      respondBy: request.respondBy,
    });
    expect(seen.body.responses).toEqual([]);
    const text = JSON.stringify(seen.body);
    for (const secret of [REASON, 'request_info', reviewer.id, caseId, decided.body.decision.id, 'weight'])
      expect(text).not.toContain(secret);
    const listed = await t.http
      .get('/v1/declarations')
      .query({ status: 'information_requested' })
      .set(...bearer(broker));
    expect(listed.body.items.map((d: { id: string }) => d.id)).toContain(declarationId);

    // The webhook carries the message, never the reason or the hits.
    const delivered = await eventually(async () =>
      receiver.to(hookPath).find((r) => JSON.parse(r.body).data.declarationId === declarationId),
    );
    const event = JSON.parse(delivered.body);
    expect(event.type).toBe('case.information_requested');
    expect(event.data).toEqual({
      declarationId,
      reference: seen.body.reference,
      message: MESSAGE,
      requestedAt: request.requestedAt,
      respondBy: request.respondBy,
    });
    expect(delivered.body).not.toContain(REASON);

    const documentId = await uploaded(t, broker, declarationId);
    const answered = await respond(t, broker, declarationId, {
      message: 'Statement attached.',
      documentIds: [documentId],
    });
    expect(answered.status).toBe(201);
    expect(answered.body).toEqual({
      id: expect.any(String),
      message: 'Statement attached.',
      documentIds: [documentId],
      createdAt: expect.any(String),
    });

    // Back in the queue at its priority, the SLA resumed: the deadline moved later by exactly the paused span.
    const back = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(supervisor.secret))).body;
    expect(back.case).toMatchObject({ status: 'open', slaPausedAt: null, priority: before.priority, assignee: null });
    const paused = Date.parse(answered.body.createdAt) - Date.parse(request.requestedAt);
    expect(paused).toBeGreaterThan(0);
    expect(Date.parse(back.case.deadline) - Date.parse(before.deadline)).toBe(paused);
    // No job for the new deadline: the SLA sweep reads the stored one (test/cases/sla.test.ts escalates at it).
    expect(
      await count(
        `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'cases.escalate' AND payload->>'caseId' = $1`,
        [caseId],
      ),
    ).toBe(0);
    expect(back.declaration.status).toBe('under_review');
    expect(back.informationRequests[0]).toMatchObject({
      id: request.id,
      status: 'answered',
      response: {
        id: answered.body.id,
        message: 'Statement attached.',
        documentIds: [documentId],
        receivedAt: answered.body.createdAt,
        documents: [{ id: documentId, filename: 'end-use.pdf', contentType: 'application/pdf', size: 1234 }],
      },
    });

    const after = (await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body;
    expect(after.status).toBe('under_review');
    expect(after.informationRequest).toBeNull();
    expect(after.responses).toEqual([answered.body]);
    // Answered: a second answer has nothing to answer.
    expect((await respond(t, broker, declarationId, { message: 'Again' })).status).toBe(409);

    const reclaimed = await claim(t, reviewer.secret);
    expect(reclaimed.body.id).toBe(caseId);
    expect((await decide(t, reviewer.secret, caseId, { action: 'release', reason: 'End use confirmed' })).status).toBe(
      200,
    );

    expect(await auditActions(t, [caseId, declarationId])).toEqual([
      'declaration.submitted',
      'declaration.screened',
      'case.opened',
      'case.claimed',
      'case.decision',
      'declaration.status_changed',
      'case.information_requested',
      'declaration.document_added',
      'declaration.status_changed',
      'case.information_received',
      'case.claimed',
      'case.decision',
      'declaration.status_changed',
      'case.closed',
    ]);
    const [requested, received] = await ds().query(
      `SELECT actor, data FROM audit_events WHERE subject_id = $1 AND action IN ('case.information_requested', 'case.information_received') ORDER BY id`,
      [caseId],
    );
    expect(requested).toMatchObject({
      actor: { keyId: reviewer.id, role: 'reviewer' },
      data: { requestId: request.id, message: MESSAGE, respondBy: request.respondBy },
    });
    expect(received).toMatchObject({
      actor: { role: 'broker', organization: 'acme-brokers' },
      data: {
        requestId: request.id,
        responseId: answered.body.id,
        documentIds: [documentId],
        status: 'open',
        pausedMs: paused,
        deadline: back.case.deadline,
      },
    });
  });

  it('refuses a bad request_info with 400 and writes nothing: no message, a blank or too long one, a message with another action, false positives', async () => {
    const { caseId } = await claimedCase();
    const decisions = () => count(`SELECT count(*)::int AS n FROM case_decisions WHERE case_id = $1`, [caseId]);
    for (const body of [
      { action: 'request_info', reason: REASON },
      { action: 'request_info', reason: REASON, message: '   ' },
      { action: 'request_info', reason: REASON, message: 'x'.repeat(2001) },
      { action: 'release', reason: REASON, message: MESSAGE },
      { action: 'request_info', reason: REASON, message: MESSAGE, falsePositiveHitIds: ['p-1'] },
    ]) {
      const res = await decide(t, reviewer.secret, caseId, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect(await decisions()).toBe(0);
    const c = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body;
    expect(c.case).toMatchObject({ status: 'open', assignee: reviewer.id, claimed: true, slaPausedAt: null });
    expect(c.informationRequests).toEqual([]);
    // A message of exactly 2000 characters is fine; only the claimant may ask.
    const other = await keyWithId(t, 'reviewer');
    expect(
      (await decide(t, other.secret, caseId, { action: 'request_info', reason: REASON, message: MESSAGE })).status,
    ).toBe(403);
    expect(
      (await decide(t, reviewer.secret, caseId, { action: 'request_info', reason: REASON, message: 'y'.repeat(2000) }))
        .status,
    ).toBe(200);
  });

  it('answers only the owner broker, and only an open request: another organisation 404, nothing asked 409, a reviewer 403', async () => {
    const { caseId, declarationId } = await requestInfo();
    expect((await respond(t, otherBroker, declarationId, { message: 'Not mine' })).status).toBe(404);
    expect((await respond(t, broker, randomUUID(), { message: 'Nobody' })).status).toBe(404);
    expect((await respond(t, reviewer.secret, declarationId, { message: 'Customs' })).status).toBe(403);
    // The other organisation does not even learn that something is asked.
    expect((await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(otherBroker))).status).toBe(404);

    const cleared = await submitForCase(t, broker, declaration());
    expect(cleared.caseId).toBeNull();
    const noCase = await respond(t, broker, cleared.declarationId, { message: 'Unasked' });
    expect(noCase.status).toBe(409);
    expect(noCase.body.code).toBe('no_open_information_request');

    const { declarationId: unasked } = await claimedCase();
    const res = await respond(t, broker, unasked, { message: 'Unasked' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('no_open_information_request');
    expect(
      await count(`SELECT count(*)::int AS n FROM information_responses WHERE declaration_id = ANY($1::uuid[])`, [
        [declarationId, unasked, cleared.declarationId],
      ]),
    ).toBe(0);
    expect((await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body.case.status).toBe(
      'information_requested',
    );
    // Leave the queue empty for the next test.
    expect(
      (
        await decide(
          t,
          reviewer.secret,
          (await t.http.get(`/v1/declarations/${unasked}`).set(...bearer(reviewer.secret))).body.case.id,
          { action: 'release', reason: 'Nothing to ask' },
        )
      ).status,
    ).toBe(200);
  });

  it('refuses documentIds that are not documents of this declaration with 400, and writes nothing', async () => {
    const { caseId, declarationId } = await requestInfo();
    const { declarationId: otherDeclaration } = await submitForCase(t, broker, declaration());
    const own = await uploaded(t, broker, declarationId, 'own.pdf');
    const foreign = await uploaded(t, broker, otherDeclaration, 'foreign.pdf');
    // The review's own attachments are not the broker's to cite (the broker cannot even see them).
    const internal = await uploaded(t, reviewer.secret, declarationId, 'internal.pdf');
    const events = () =>
      count(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = ANY($1::text[])`, [
        [caseId, declarationId],
      ]);
    const eventsBefore = await events();
    for (const documentIds of [[own, foreign], [own, internal], [randomUUID()], ['not-a-uuid'], [own, own]]) {
      const res = await respond(t, broker, declarationId, { message: 'See attached', documentIds });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.errors)).toContain('documentIds');
    }
    const bad = await respond(t, broker, declarationId, { message: 'See attached', documentIds: [own, foreign] });
    expect(bad.body.errors).toEqual([{ path: 'body.documentIds.1', message: 'not a document of this declaration' }]);
    expect(
      await count(`SELECT count(*)::int AS n FROM information_responses WHERE declaration_id = $1`, [declarationId]),
    ).toBe(0);
    expect(
      await count(`SELECT count(*)::int AS n FROM information_response_documents WHERE document_id = ANY($1::uuid[])`, [
        [own, foreign],
      ]),
    ).toBe(0);
    expect(await events()).toBe(eventsBefore);
    const c = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body;
    expect(c.case.status).toBe('information_requested');
    expect(c.informationRequests[0]).toMatchObject({ status: 'open', response: null });
    expect((await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body.status).toBe(
      'information_requested',
    );
  });

  it('keeps a declaration whose broker is asked waiting when a re-screening finds more: the case stays out of the queue, raised', async () => {
    const listed = `Glacier Peak Instruments ${randomUUID().slice(0, 6)}`;
    const { caseId, declarationId } = await submitForCase(t, broker, {
      ...reviewLevelDeclaration(),
      consignee: { name: listed, country: 'RU' },
    });
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    expect(
      (await decide(t, reviewer.secret, caseId!, { action: 'request_info', reason: REASON, message: MESSAGE })).status,
    ).toBe(200);
    const paused = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body.case;

    const version = await uploadWatchList(t, 'watch', [{ id: 'W-1', name: listed, countries: ['RU'] }]);
    await eventually(async () => {
      const v = await t.http.get(`/v1/lists/watch/versions/${version.id}`).set(...bearer(t.adminKey));
      return v.body.rescreen?.status === 'completed';
    }, 30000);
    const after = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body;
    expect(after.screening.trigger).toBe('rescreen');
    expect(after.case).toMatchObject({
      status: 'information_requested',
      level: 'BLOCK',
      priority: 'critical',
      slaPausedAt: paused.slaPausedAt,
      assignee: null,
    });
    expect(after.declaration.status).toBe('information_requested');
    expect((await claim(t, supervisor.secret)).status).toBe(204);
    const seen = (await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body;
    expect(seen).toMatchObject({ status: 'information_requested', informationRequest: { message: MESSAGE } });
  });

  it('does not let a cases.escalate job (queued by an older deployment) mark a paused case overdue', async () => {
    const { caseId } = await requestInfo();
    const [c] = await ds().query(`SELECT deadline FROM review_cases WHERE id = $1`, [caseId]);
    expect(await escalateOverdue(t.service.uow, caseId, c.deadline.toISOString())).toBe('paused');
    expect((await ds().query(`SELECT overdue FROM review_cases WHERE id = $1`, [caseId]))[0].overdue).toBe(false);
  });
});

describe('an unanswered request for information', () => {
  let t: TestService;
  let broker: string;
  let reviewer: { id: string; secret: string };
  let supervisor: { id: string; secret: string };
  const ds = () => t.service.db.dataSource;

  beforeAll(async () => {
    // 0.001 hours: the broker has 3.6 seconds to answer.
    t = await startTestService({ INFO_REQUEST_TIMEOUT_HOURS: 0.001 });
    broker = await t.key('broker', 'slow-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    supervisor = await keyWithId(t, 'supervisor');
  }, 90000);
  afterAll(() => t.close());

  it('escalates the case to the supervisors at the timeout (audited once), stays open for a late answer, and only one request is open at a time', async () => {
    const { caseId, declarationId } = await submitForCase(t, broker, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const before = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret))).body.case;
    const asked = await decide(t, reviewer.secret, caseId!, {
      action: 'request_info',
      reason: REASON,
      message: MESSAGE,
    });
    expect(asked.status).toBe(200);

    // The sweep: the request's delayed job fires at the respond-by time.
    const escalated = await eventually(async () => {
      const c = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(supervisor.secret))).body;
      return c.case.status === 'escalated' ? c : undefined;
    }, 30000);
    const request = escalated.informationRequests[0];
    expect(request).toMatchObject({ status: 'open', overdueAt: expect.any(String), response: null });
    expect(escalated.case).toMatchObject({ escalated: true, slaPausedAt: null, assignee: null });
    expect(Date.parse(escalated.case.deadline) - Date.parse(before.deadline)).toBe(
      Date.parse(request.overdueAt) - Date.parse(request.requestedAt),
    );
    const overdueEvents = () =>
      ds().query(`SELECT actor, data FROM audit_events WHERE subject_id = $1 AND action = 'case.information_overdue'`, [
        caseId,
      ]);
    const [event] = await overdueEvents();
    expect(event).toMatchObject({
      actor: { role: 'system' },
      data: { requestId: request.id, escalated: true, status: 'escalated', respondBy: request.respondBy },
    });

    // Two processes, or a repeated job: the request row says it is done.
    expect(await t.service.informationRequests.service.overdue(request.id)).toBe('already_overdue');
    await t.service.informationRequests.jobHandlers['cases.information_overdue'](
      { requestId: request.id },
      { attempt: 1, jobId: 'again' },
    );
    expect(await overdueEvents()).toHaveLength(1);

    // Back in the supervisors' queue only; the broker still sees the open request.
    expect((await claim(t, reviewer.secret)).status).toBe(204);
    expect((await claim(t, supervisor.secret)).body.id).toBe(caseId);
    const again = await decide(t, supervisor.secret, caseId!, {
      action: 'request_info',
      reason: 'Still missing',
      message: 'Reminder',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('information_request_open');
    const seen = (await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body;
    expect(seen).toMatchObject({
      status: 'information_requested',
      informationRequest: { message: MESSAGE, respondBy: request.respondBy },
    });

    const late = await t.http
      .post(`/v1/declarations/${declarationId}/responses`)
      .set(...bearer(broker))
      .send({ message: 'Sorry for the delay' });
    expect(late.status).toBe(201);
    const after = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(supervisor.secret))).body;
    // The supervisor keeps the escalated case (its clock already ran again); the answer is on top.
    expect(after.case).toMatchObject({
      status: 'escalated',
      assignee: supervisor.id,
      deadline: escalated.case.deadline,
    });
    expect(after.declaration.status).toBe('under_review');
    expect(after.informationRequests[0]).toMatchObject({
      status: 'answered',
      response: { message: 'Sorry for the delay' },
    });
    expect(await t.service.informationRequests.service.overdue(request.id)).toBe('answered');
    expect(await auditActions(t, [caseId!])).toEqual([
      'case.opened',
      'case.claimed',
      'case.decision',
      'case.information_requested',
      'case.information_overdue',
      'case.claimed',
      'case.information_received',
    ]);
  }, 60000);

  it('withdraws a request still open when a supervisor decides the escalated case: the broker is no longer asked', async () => {
    const { caseId, declarationId } = await submitForCase(t, broker, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    expect(
      (await decide(t, reviewer.secret, caseId!, { action: 'request_info', reason: REASON, message: MESSAGE })).status,
    ).toBe(200);
    await eventually(
      async () =>
        (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(supervisor.secret))).body.case.status === 'escalated',
      30000,
    );
    expect((await claim(t, supervisor.secret)).body.id).toBe(caseId);
    expect(
      (await decide(t, supervisor.secret, caseId!, { action: 'release', reason: 'Licence found in the registry' }))
        .status,
    ).toBe(200);

    const seen = (await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body;
    expect(seen).toMatchObject({ status: 'released', informationRequest: null, responses: [] });
    const late = await t.http
      .post(`/v1/declarations/${declarationId}/responses`)
      .set(...bearer(broker))
      .send({ message: 'Too late' });
    expect(late.status).toBe(409);
    const c = (await t.http.get(`/v1/cases/${caseId}`).set(...bearer(supervisor.secret))).body;
    expect(c.informationRequests[0]).toMatchObject({ status: 'withdrawn', response: null });
    expect(await auditActions(t, [caseId!])).toEqual([
      'case.opened',
      'case.claimed',
      'case.decision',
      'case.information_requested',
      'case.information_overdue',
      'case.claimed',
      'case.decision',
      'case.information_request_withdrawn',
      'case.closed',
    ]);
  }, 60000);
});
