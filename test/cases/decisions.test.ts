import { bearer, startTestService, type TestService } from '../support/test-service';
import {
  approve,
  auditActions,
  claim,
  decide,
  keyWithId,
  reviewLevelDeclaration,
  submitForCase,
  uploadWatchList,
  withConsignee,
} from './helpers';

const LISTED = 'Kestrel Avionics Export LLC';

describe('decisions and four-eyes approval', () => {
  let t: TestService;
  let broker: string;
  let reviewer: { id: string; secret: string };
  let reviewer2: { id: string; secret: string };
  let supervisor1: { id: string; secret: string };
  let supervisor2: { id: string; secret: string };
  const ds = () => t.service.db.dataSource;

  /** Submits a declaration and claims its case (the queue is empty at the start of each test, so the claim takes it). */
  async function claimedCase(body: Record<string, unknown>, key = reviewer.secret) {
    const { caseId, declarationId } = await submitForCase(t, broker, body);
    const res = await claim(t, key);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(caseId);
    return { caseId: caseId!, declarationId };
  }

  /** A BLOCK-level case a reviewer claimed and escalated: in the supervisors' queue, nobody holds it. */
  async function escalatedCase(): Promise<string> {
    const { caseId } = await claimedCase(withConsignee(LISTED));
    const escalated = await decide(t, reviewer.secret, caseId, { action: 'escalate', reason: 'Needs a supervisor' });
    expect(escalated.body.case).toMatchObject({ status: 'escalated', assignee: null });
    return caseId;
  }

  async function declarationStatus(id: string): Promise<string> {
    return (await t.http.get(`/v1/declarations/${id}`).set(...bearer(reviewer.secret))).body.status;
  }

  async function dispatched(caseId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const rows: { payload: { type: string; data: Record<string, unknown> } }[] = await ds().query(
      `SELECT payload FROM outbox WHERE job_name = 'webhooks.dispatch' AND payload->>'subjectId' = $1`,
      [caseId],
    );
    return rows.map((r) => r.payload);
  }

  beforeAll(async () => {
    t = await startTestService({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    reviewer2 = await keyWithId(t, 'reviewer');
    supervisor1 = await keyWithId(t, 'supervisor');
    supervisor2 = await keyWithId(t, 'supervisor');
    await uploadWatchList(t, 'watch', [{ id: 'K-1', name: LISTED }]);
    // The broker listens for decisions (a closed port: the deliveries fail, the dispatch is what is checked).
    const hook = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url: 'http://127.0.0.1:9/hook', events: ['case.decided'] });
    expect(hook.status).toBe(201);
  }, 90000);
  afterAll(() => t.close());

  // Each test starts with an empty queue whatever ran before it (or alone, with -t): a case an earlier test left open,
  // held, escalated or awaiting approval is set aside, so claims and queue listings see only the test's own cases.
  beforeEach(async () => {
    await ds().query(`UPDATE review_cases SET status = 'closed', resolution = 'released', closed_at = now(),
      assignee_key_id = NULL, lease_expires_at = NULL, pending_decision_id = NULL WHERE closed_at IS NULL`);
  });

  it('sends a refusal to a second person: the deciding supervisor may not approve it, another one makes it final', async () => {
    const { caseId, declarationId } = await claimedCase(withConsignee(LISTED), supervisor1.secret);
    const refused = await decide(t, supervisor1.secret, caseId, {
      action: 'refuse',
      reason: 'Consignee is the listed entity K-1',
    });
    expect(refused.status).toBe(200);
    expect(refused.body.case).toMatchObject({
      status: 'awaiting_approval',
      assignee: null,
      claimed: false,
      awaitingApproval: { decisionId: refused.body.decision.id, action: 'refuse', decidedBy: supervisor1.id },
    });
    expect(refused.body.decision).toMatchObject({
      action: 'refuse',
      approval: 'pending',
      decidedBy: { keyId: supervisor1.id, role: 'supervisor' },
    });
    expect(await declarationStatus(declarationId)).toBe('under_review');
    expect(await dispatched(caseId)).toEqual([]);

    const own = await approve(t, supervisor1.secret, caseId, { approve: true, reason: 'agree' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('four_eyes_required');
    const byReviewer = await approve(t, reviewer.secret, caseId, { approve: true, reason: 'agree' });
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.body.code).toBe('forbidden');
    const decideAgain = await decide(t, supervisor1.secret, caseId, { action: 'release', reason: 'changed my mind' });
    expect(decideAgain.status).toBe(409);
    expect(decideAgain.body.code).toBe('case_awaiting_approval');

    const approved = await approve(t, supervisor2.secret, caseId, {
      approve: true,
      reason: 'Confirmed: same entity, same address',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.case).toMatchObject({
      status: 'closed',
      resolution: 'refused',
      awaitingApproval: null,
      closedAt: expect.any(String),
    });
    expect(approved.body.decision).toMatchObject({
      approval: 'approved',
      approvedBy: { keyId: supervisor2.id },
      approvalReason: 'Confirmed: same entity, same address',
    });
    expect(await declarationStatus(declarationId)).toBe('refused');

    expect(await auditActions(t, [caseId, declarationId])).toEqual(
      expect.arrayContaining([
        'case.opened',
        'case.claimed',
        'case.decision',
        'case.approval',
        'declaration.status_changed',
        'case.closed',
      ]),
    );
    const [closed] = await ds().query(
      `SELECT actor, data FROM audit_events WHERE subject_id = $1 AND action = 'case.closed'`,
      [caseId],
    );
    expect(closed.actor.keyId).toBe(supervisor2.id);
    expect(closed.data).toMatchObject({ resolution: 'refused', decidedBy: supervisor1.id, approvedBy: supervisor2.id });
    const events = await dispatched(caseId);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'case.decided',
        data: expect.objectContaining({ caseId, declarationId, resolution: 'refused' }),
      }),
    ]);

    const detail = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret));
    expect(detail.body.decisions).toEqual([
      expect.objectContaining({
        action: 'refuse',
        approval: 'approved',
        decidedBy: expect.objectContaining({ keyId: supervisor1.id }),
      }),
    ]);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['case.decision', 'case.approval', 'case.closed']),
    );
    const late = await decide(t, supervisor1.secret, caseId, { action: 'release', reason: 'too late' });
    expect(late.body.code).toBe('case_closed');
  });

  it('makes the release of a REVIEW-level case final at once', async () => {
    const { caseId, declarationId } = await claimedCase(reviewLevelDeclaration());
    const res = await decide(t, reviewer.secret, caseId, {
      action: 'release',
      reason: 'End use confirmed by licence KZ-2026-0042',
    });
    expect(res.status).toBe(200);
    expect(res.body.case).toMatchObject({ status: 'closed', resolution: 'released', level: 'REVIEW' });
    expect(res.body.decision).toMatchObject({ approval: 'not_required' });
    expect(await declarationStatus(declarationId)).toBe('released');
    expect((await dispatched(caseId)).map((e) => e.type)).toEqual(['case.decided']);
  });

  it('sends the release of a BLOCK-level case to approval; a rejection puts it back in the queue', async () => {
    const { caseId, declarationId } = await claimedCase(withConsignee(LISTED));
    const res = await decide(t, reviewer.secret, caseId, { action: 'release', reason: 'Different company, same name' });
    expect(res.body.case.status).toBe('awaiting_approval');
    expect((await claim(t, reviewer2.secret)).status).toBe(204);
    const rejected = await approve(t, supervisor1.secret, caseId, {
      approve: false,
      reason: 'Addresses match: look again',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.case).toMatchObject({ status: 'open', awaitingApproval: null, resolution: null });
    expect(rejected.body.decision).toMatchObject({ approval: 'rejected' });
    expect(await declarationStatus(declarationId)).toBe('under_review');
    expect(await dispatched(caseId)).toEqual([]);
    const again = await approve(t, supervisor2.secret, caseId, { approve: true, reason: 'late' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('case_not_awaiting_approval');
    const back = await claim(t, reviewer2.secret);
    expect(back.body.id).toBe(caseId);
    const escalated = await decide(t, reviewer2.secret, caseId, { action: 'escalate', reason: 'Needs a supervisor' });
    expect(escalated.body.case).toMatchObject({ status: 'escalated', assignee: null });
  });

  it('holds a case for documents: declaration held, case still open and still with its claimant', async () => {
    const { caseId, declarationId } = await claimedCase(reviewLevelDeclaration());
    await ds().query(`UPDATE review_cases SET lease_expires_at = now() + interval '5 seconds' WHERE id = $1`, [caseId]);
    const res = await decide(t, reviewer.secret, caseId, {
      action: 'hold',
      reason: 'Waiting for the end-user certificate',
    });
    expect(res.status).toBe(200);
    expect(res.body.case).toMatchObject({ status: 'held', assignee: reviewer.id, claimed: true, closedAt: null });
    expect(Date.parse(res.body.case.leaseExpiresAt) - Date.now()).toBeGreaterThan(60_000);
    expect(await declarationStatus(declarationId)).toBe('held');
    const done = await decide(t, reviewer.secret, caseId, {
      action: 'release',
      reason: 'Certificate received and checked',
    });
    expect(done.body.case).toMatchObject({ status: 'closed', resolution: 'released' });
    expect(await declarationStatus(declarationId)).toBe('released');
  });

  it('escalates to the supervisors: only a supervisor may then claim and decide the case', async () => {
    const escalatedCaseId = await escalatedCase();
    const listed = await t.http.get('/v1/cases?status=escalated').set(...bearer(reviewer.secret));
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: escalatedCaseId, status: 'escalated', escalated: true, assignee: null }),
    ]);
    expect((await claim(t, reviewer.secret)).status).toBe(204);
    const sup = await claim(t, supervisor1.secret);
    expect(sup.body.id).toBe(escalatedCaseId);
    const twice = await decide(t, supervisor1.secret, escalatedCaseId, { action: 'escalate', reason: 'again' });
    expect(twice.body.code).toBe('case_already_escalated');
    await decide(t, supervisor1.secret, escalatedCaseId, {
      action: 'release',
      reason: 'Different company: other registration number',
    });
    const rejected = await approve(t, supervisor2.secret, escalatedCaseId, { approve: false, reason: 'Not convinced' });
    expect(rejected.body.case).toMatchObject({ status: 'escalated', assignee: null });
    expect((await claim(t, reviewer.secret)).status).toBe(204);
    expect((await claim(t, supervisor2.secret)).body.id).toBe(escalatedCaseId);
    const refused = await decide(t, supervisor2.secret, escalatedCaseId, {
      action: 'refuse',
      reason: 'Same entity after all',
    });
    expect(refused.body.case.status).toBe('awaiting_approval');
    const final = await approve(t, supervisor1.secret, escalatedCaseId, { approve: true, reason: 'Agreed' });
    expect(final.body.case).toMatchObject({ status: 'closed', resolution: 'refused', escalated: true });
  });

  it('answers anyone but the claimant, and bad bodies, with clear codes and writes nothing', async () => {
    const { caseId } = await submitForCase(t, broker, reviewLevelDeclaration());
    const unclaimed = await decide(t, reviewer.secret, caseId!, { action: 'release', reason: 'looks fine' });
    expect(unclaimed.status).toBe(409);
    expect(unclaimed.body.code).toBe('case_not_claimed');
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const other = await decide(t, reviewer2.secret, caseId!, { action: 'release', reason: 'looks fine' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('not_claimant');
    const bad = await decide(t, reviewer.secret, caseId!, { action: 'approve', reason: 'ok' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.action', 'body.reason']);
    const extra = await decide(t, reviewer.secret, caseId!, { action: 'release', reason: 'fine', note: 'x' });
    expect(extra.status).toBe(400);
    const holdWithMarks = await decide(t, reviewer.secret, caseId!, {
      action: 'hold',
      reason: 'waiting',
      falsePositiveHitIds: ['p-000000000000'],
    });
    expect(holdWithMarks.status).toBe(400);
    expect(holdWithMarks.body.errors).toEqual([
      { path: 'body.falsePositiveHitIds', message: expect.stringContaining('final decision') },
    ]);
    const broker403 = await decide(t, broker, caseId!, { action: 'release', reason: 'fine by me' });
    expect(broker403.status).toBe(403);
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM case_decisions WHERE case_id = $1`, [caseId]);
    expect(n).toBe(0);
  });
});
