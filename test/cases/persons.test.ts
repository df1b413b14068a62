import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import {
  approve,
  claim,
  decide,
  keyWithId,
  reviewLevelDeclaration,
  submitForCase,
  uploadWatchList,
  withConsignee,
} from './helpers';

const LISTED = 'Osprey Gyroscopes Trading LLC';
/** The consignee of reviewLevelDeclaration(): listed only by the second version of the watch list. */
const LATER_LISTED = 'Vostok Components';

describe('four-eyes compares persons, not keys', () => {
  let t: TestService;
  let broker: string;
  let bob: { id: string; secret: string };
  const ds = () => t.service.db.dataSource;

  async function keyFor(role: string, person: string, by = t.adminKey) {
    const res = await t.http
      .post('/v1/api-keys')
      .set(...bearer(by))
      .send({ name: `${person} as ${role}`, role, organization: 'customs-authority', person });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, secret: res.body.secret as string };
  }

  /** A BLOCK-level case decided (refused) by the given reviewer key: it waits for a second person. */
  async function refusedBy(reviewerKey: string) {
    const { caseId, declarationId } = await submitForCase(t, broker, withConsignee(LISTED));
    expect((await claim(t, reviewerKey)).body.id).toBe(caseId);
    const refused = await decide(t, reviewerKey, caseId!, {
      action: 'refuse',
      reason: 'Consignee is the listed entity',
    });
    expect(refused.body.case.status).toBe('awaiting_approval');
    return { caseId: caseId!, declarationId, decision: refused.body.decision };
  }

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    bob = await keyWithId(t, 'supervisor', 'customs-authority', 'bob@customs.example');
    await uploadWatchList(t, 'watch', [{ id: 'O-1', name: LISTED }]);
  }, 90000);
  afterAll(() => t.close());

  it('requires a person for reviewer, supervisor and admin keys, and shows it in the listing and the audit actor', async () => {
    for (const role of ['reviewer', 'supervisor', 'admin']) {
      const res = await t.http
        .post('/v1/api-keys')
        .set(...bearer(t.adminKey))
        .send({ name: 'nobody', role, organization: 'customs-authority' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'body.person', message: expect.stringContaining('required') }]);
    }
    const broker2 = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: 'integration', role: 'broker', organization: 'acme-brokers' });
    expect(broker2.body).toMatchObject({ role: 'broker', person: null });
    const listed = await t.http.get('/v1/api-keys?limit=500').set(...bearer(t.adminKey));
    expect(listed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: bob.id, person: 'bob@customs.example', lastUsedAt: null, expiresAt: null }),
        expect.objectContaining({ name: 'bootstrap admin', person: 'bootstrap-admin' }),
      ]),
    );
    const [created] = await ds().query(
      `SELECT actor FROM audit_events WHERE action = 'api_key.created' AND subject_id = $1`,
      [bob.id],
    );
    expect(created.actor).toMatchObject({ role: 'admin', person: 'bootstrap-admin' });
  });

  it("refuses approval by the decider's person whichever key it uses; another person approves", async () => {
    const aliceReviewer = await keyFor('reviewer', 'Alice@Customs.example');
    const aliceSupervisor = await keyFor('supervisor', 'alice@customs.example');
    const { caseId, declarationId, decision } = await refusedBy(aliceReviewer.secret);
    expect(decision.decidedBy).toMatchObject({ keyId: aliceReviewer.id, person: 'alice@customs.example' });

    const own = await approve(t, aliceSupervisor.secret, caseId, { approve: true, reason: 'I agree with myself' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('four_eyes_required');
    const [{ approval }] = await ds().query(`SELECT approval FROM case_decisions WHERE id = $1`, [decision.id]);
    expect(approval).toBe('pending');

    const ok = await approve(t, bob.secret, caseId, { approve: true, reason: 'Checked: same entity' });
    expect(ok.status).toBe(200);
    expect(ok.body.decision).toMatchObject({
      approval: 'approved',
      decidedBy: { person: 'alice@customs.example' },
      approvedBy: { keyId: bob.id, person: 'bob@customs.example' },
    });
    const [approvalEvent] = await ds().query(
      `SELECT actor, data FROM audit_events WHERE action = 'case.approval' AND subject_id = $1`,
      [caseId],
    );
    expect(approvalEvent.actor).toMatchObject({ keyId: bob.id, person: 'bob@customs.example' });
    expect(approvalEvent.data).toMatchObject({ decidedByPerson: 'alice@customs.example' });
    expect((await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body.status).toBe('refused');
  });

  it('stops an admin who makes a reviewer and a supervisor key for themself, and audits a person holding several roles', async () => {
    const carolAdmin = await keyFor('admin', 'carol@customs.example');
    const carolReviewer = await keyFor('reviewer', 'carol@customs.example', carolAdmin.secret);
    const carolSupervisor = await keyFor('supervisor', 'carol@customs.example', carolAdmin.secret);
    const events = await ds().query(
      `SELECT subject_id, actor, data FROM audit_events WHERE action = 'api_key.person_multiple_roles' AND data->>'person' = 'carol@customs.example' ORDER BY id`,
    );
    expect(events.map((e: { subject_id: string }) => e.subject_id)).toEqual([carolReviewer.id, carolSupervisor.id]);
    expect(events[0].data).toMatchObject({ role: 'reviewer', otherRoles: ['admin'] });
    expect(events[1].data).toMatchObject({ role: 'supervisor', otherRoles: ['admin', 'reviewer'] });
    expect(events[1].actor).toMatchObject({ keyId: carolAdmin.id, person: 'carol@customs.example' });
    // Two keys of one role for one person is no new power: no event.
    await keyFor('supervisor', 'bob@customs.example');
    const bobEvents = await ds().query(
      `SELECT 1 FROM audit_events WHERE action = 'api_key.person_multiple_roles' AND data->>'person' = 'bob@customs.example'`,
    );
    expect(bobEvents).toHaveLength(0);

    const { caseId } = await refusedBy(carolReviewer.secret);
    const own = await approve(t, carolSupervisor.secret, caseId, { approve: true, reason: 'fine by me' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('four_eyes_required');
    const listed = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(bob.secret));
    expect(listed.body.case.awaitingApproval).toMatchObject({
      decidedByPerson: 'carol@customs.example',
      awaiting: expect.stringContaining('carol@customs.example'),
    });
    expect((await approve(t, bob.secret, caseId, { approve: false, reason: 'Look again' })).status).toBe(200);
    await ds().query(`UPDATE review_cases SET status = 'closed', closed_at = now() WHERE id = $1`, [caseId]);
  });

  it('answers 409 decision_outdated when the case was screened again after the decision, and puts the case back in the queue', async () => {
    const reviewer = await keyWithId(t, 'reviewer');
    const { caseId, declarationId } = await submitForCase(t, broker, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const refused = await decide(t, reviewer.secret, caseId!, {
      action: 'refuse',
      reason: 'No end-user certificate for the microcontrollers',
    });
    expect(refused.body.case).toMatchObject({ status: 'awaiting_approval', level: 'REVIEW' });
    const decidedOn = refused.body.decision.screeningId;

    // A new list version names the consignee: delta re-screening gives the declaration a new, BLOCK-level screening.
    await uploadWatchList(t, 'watch', [
      { id: 'O-1', name: LISTED },
      { id: 'O-2', name: LATER_LISTED, countries: ['RU'] },
    ]);
    const rescreened = await eventually(async () => {
      const d = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(bob.secret));
      return d.body.screening.id !== decidedOn ? d.body.screening : undefined;
    }, 30000);
    expect(rescreened.outcome).toBe('BLOCK');

    const late = await approve(t, bob.secret, caseId!, { approve: true, reason: 'Agree with the refusal' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('decision_outdated');
    const detail = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(bob.secret));
    expect(detail.body.case).toMatchObject({
      status: 'open',
      assignee: null,
      claimed: false,
      awaitingApproval: null,
      level: 'BLOCK',
      resolution: null,
    });
    expect(detail.body.decisions[0]).toMatchObject({
      id: refused.body.decision.id,
      approval: 'outdated',
      approvedBy: { keyId: bob.id },
    });
    expect(detail.body.history.map((h: { action: string }) => h.action)).toContain('case.decision_outdated');
    expect((await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker))).body).toMatchObject({
      status: 'under_review',
      decision: null,
    });
    // Back in the queue: the next claim takes it, and a decision on the new screening can be approved.
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const again = await decide(t, reviewer.secret, caseId!, { action: 'refuse', reason: 'Consignee is now listed' });
    expect(again.body.decision.screeningId).toBe(rescreened.id);
    expect((await approve(t, bob.secret, caseId!, { approve: true, reason: 'Agreed' })).body.case).toMatchObject({
      status: 'closed',
      resolution: 'refused',
    });
  }, 60000);
});
