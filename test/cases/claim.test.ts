import { bearer, startTestService, type TestService } from '../support/test-service';
import {
  claim,
  decide,
  keyWithId,
  reviewLevelDeclaration,
  submitForCase,
  uploadWatchList,
  withConsignee,
} from './helpers';

const LISTED = 'Borealis Dual Use Trading LLC';

describe('the review queue: claims and leases', () => {
  let t: TestService;
  let broker: string;
  let reviewerA: { id: string; secret: string };
  let reviewerB: { id: string; secret: string };
  let auditor: string;
  const ds = () => t.service.db.dataSource;

  /** Opens `n` BLOCK-level cases (flagged declarations of the listed consignee), six submissions at a time (sixty take
   * seconds on a busy machine: the tests that open as many allow 120 s, as the shared setup did). */
  async function openBlockCases(n: number, key = broker): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 6) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(6, n - i) }, () => submitForCase(t, key, withConsignee(LISTED))),
      );
      for (const b of batch) ids.push(b.caseId!);
    }
    return ids;
  }

  /** Opens a BLOCK-level case and has the reviewer claim it (the queue is empty at the start of each test). */
  async function claimedBlockCase(reviewer: { secret: string }): Promise<string> {
    const [caseId] = await openBlockCases(1);
    const res = await claim(t, reviewer.secret);
    expect(res.body.id).toBe(caseId);
    return caseId;
  }

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewerA = await keyWithId(t, 'reviewer');
    reviewerB = await keyWithId(t, 'reviewer');
    auditor = await t.key('auditor', 'customs-authority');
    await uploadWatchList(t, 'watch', [{ id: 'W-1', name: LISTED }]);
  }, 120000);
  afterAll(() => t.close());

  // Each test starts with an empty queue whatever ran before it (or alone, with -t): cases an earlier test left open or
  // claimed are set aside, so claims see only the test's own cases.
  beforeEach(async () => {
    await ds().query(`UPDATE review_cases SET status = 'closed', resolution = 'released', closed_at = now(),
      assignee_key_id = NULL, lease_expires_at = NULL, pending_decision_id = NULL WHERE closed_at IS NULL`);
  });

  it('opens a case for every flagged declaration: BLOCK is critical, with a deadline from the SLA', async () => {
    const caseIds = await openBlockCases(60);
    expect(new Set(caseIds).size).toBe(60);
    const list = await t.http.get('/v1/cases?status=open&limit=500').set(...bearer(reviewerA.secret));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(60);
    const one = list.body.items[0];
    expect(one).toMatchObject({
      level: 'BLOCK',
      priority: 'critical',
      priorityRank: 1,
      status: 'open',
      claimed: false,
      assignee: null,
      overdue: false,
    });
    const minutes = (Date.parse(one.deadline) - Date.parse(one.createdAt)) / 60_000;
    expect(minutes).toBeCloseTo(t.config.CASE_SLA_MINUTES_CRITICAL, 0);
  }, 120000);

  it('never hands the same case to two of 100 concurrent claims over 60 open cases; the rest get 204', async () => {
    const caseIds = await openBlockCases(60);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => claim(t, (i % 2 ? reviewerA : reviewerB).secret)),
    );
    const claimed = answers.filter((r) => r.status === 200);
    expect(claimed).toHaveLength(60);
    expect(answers.filter((r) => r.status === 204)).toHaveLength(40);
    const ids = claimed.map((r) => r.body.id);
    expect(new Set(ids).size).toBe(60);
    expect(new Set(ids)).toEqual(new Set(caseIds));
    for (const r of claimed)
      expect(r.body).toMatchObject({ claimed: true, assignee: expect.any(String), leaseExpiresAt: expect.any(String) });
    const lease = Date.parse(claimed[0].body.leaseExpiresAt) - Date.now();
    expect(lease).toBeGreaterThan((t.config.CASE_LEASE_MINUTES - 1) * 60_000);
    const [{ n }] = await ds().query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.claimed' AND subject_id = ANY($1::text[])`,
      [caseIds],
    );
    expect(n).toBe(60);
    expect((await claim(t, reviewerA.secret)).status).toBe(204);
  }, 120000);

  it('returns a case whose lease expired to the queue: the next claim takes it, the former claimant can no longer decide', async () => {
    const held = { id: await claimedBlockCase(reviewerA) };
    expect((await claim(t, reviewerB.secret)).status).toBe(204);
    await ds().query(`UPDATE review_cases SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [held.id]);

    const lapsed = await t.http.get(`/v1/cases/${held.id}`).set(...bearer(reviewerA.secret));
    expect(lapsed.body.case).toMatchObject({ assignee: reviewerA.id, claimed: false });
    const tooLate = await decide(t, reviewerA.secret, held.id, { action: 'escalate', reason: 'unsure about this one' });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.code).toBe('lease_expired');

    const taken = await claim(t, reviewerB.secret);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ id: held.id, assignee: reviewerB.id, claimed: true });
    const other = await decide(t, reviewerA.secret, held.id, { action: 'escalate', reason: 'unsure about this one' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('not_claimant');
    const [event] = await ds().query(
      `SELECT data FROM audit_events WHERE action = 'case.claimed' AND subject_id = $1 ORDER BY id DESC LIMIT 1`,
      [held.id],
    );
    expect(event.data.previousAssignee).toBe(reviewerA.id);
  });

  it('lets only the claimant give a case back', async () => {
    const mine = { id: await claimedBlockCase(reviewerB) };
    const notYours = await t.http.post(`/v1/cases/${mine.id}/unclaim`).set(...bearer(reviewerA.secret));
    expect(notYours.status).toBe(403);
    expect(notYours.body.code).toBe('not_claimant');
    const back = await t.http.post(`/v1/cases/${mine.id}/unclaim`).set(...bearer(reviewerB.secret));
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: mine.id, assignee: null, claimed: false, status: 'open' });
    const again = await t.http.post(`/v1/cases/${mine.id}/unclaim`).set(...bearer(reviewerB.secret));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('case_not_claimed');
    const reclaimed = await claim(t, reviewerA.secret);
    expect(reclaimed.body.id).toBe(mine.id);
  });

  it('claims by priority, then deadline, then age', async () => {
    const review = await submitForCase(t, broker, reviewLevelDeclaration());
    const block1 = await submitForCase(t, broker, withConsignee(LISTED));
    const block2 = await submitForCase(t, broker, withConsignee(LISTED));
    const order = [
      (await claim(t, reviewerA.secret)).body,
      (await claim(t, reviewerA.secret)).body,
      (await claim(t, reviewerA.secret)).body,
    ];
    expect(order.map((c) => c.id)).toEqual([block1.caseId, block2.caseId, review.caseId]);
    expect(order.map((c) => c.priority)).toEqual(['critical', 'critical', 'high']);
    expect(order[2].level).toBe('REVIEW');
  });

  it("gives a reviewer everything for a decision, and reading renews the claimant's lease", async () => {
    const mine = { id: await claimedBlockCase(reviewerA) };
    await ds().query(`UPDATE review_cases SET lease_expires_at = now() + interval '10 seconds' WHERE id = $1`, [
      mine.id,
    ]);
    const res = await t.http.get(`/v1/cases/${mine.id}`).set(...bearer(reviewerA.secret));
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.case.leaseExpiresAt) - Date.now()).toBeGreaterThan(
      (t.config.CASE_LEASE_MINUTES - 1) * 60_000,
    );
    expect(res.body.case).toMatchObject({
      id: mine.id,
      status: 'open',
      level: 'BLOCK',
      priority: 'critical',
      assignee: reviewerA.id,
      claimed: true,
      awaitingApproval: null,
    });
    expect(res.body.declaration.body.consignee.name).toBe(LISTED);
    const party = res.body.screening.hits.find((h: { kind: string }) => h.kind === 'party');
    expect(party).toMatchObject({
      listId: 'watch',
      entryId: 'W-1',
      evidence: expect.objectContaining({ match: expect.any(Object) }),
    });
    expect(party.listEntry).toMatchObject({
      primaryName: LISTED,
      names: [LISTED],
      programs: ['TEST-WATCH'],
      identifiers: [],
    });
    expect(party.partyFingerprint).toBeUndefined();
    expect(res.body.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['declaration.submitted', 'declaration.screened', 'case.opened', 'case.claimed']),
    );
    const byAuditor = await t.http.get(`/v1/cases/${mine.id}`).set(...bearer(auditor));
    expect(byAuditor.status).toBe(200);
  });

  it('lists with filters and cursor pagination, in claim order or newest first', async () => {
    // The cases of an organisation of this test's own: the listings see only them, whatever ran before.
    const organization = 'listing-brokers';
    const own = await t.key('broker', organization);
    await openBlockCases(12, own);
    await submitForCase(t, own, reviewLevelDeclaration());
    for (const r of [reviewerA, reviewerA, reviewerB]) expect((await claim(t, r.secret)).status).toBe(200);

    const all: { id: string; priorityRank: number; deadline: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: typeof all; nextCursor: string | null } } = await t.http
        .get('/v1/cases')
        .query({ organization, limit: 7, ...(cursor ? { cursor } : {}) })
        .set(...bearer(reviewerA.secret));
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(13);
    expect(new Set(all.map((c) => c.id)).size).toBe(13);
    const sorted = [...all].sort(
      (a, b) =>
        a.priorityRank - b.priorityRank ||
        Date.parse(a.deadline) - Date.parse(b.deadline) ||
        Date.parse(a.createdAt) - Date.parse(b.createdAt),
    );
    expect(all.map((c) => c.priorityRank)).toEqual(sorted.map((c) => c.priorityRank));

    const newest = await t.http
      .get(`/v1/cases?order=newest&limit=2&organization=${organization}`)
      .set(...bearer(reviewerA.secret));
    const next = await t.http
      .get(`/v1/cases?order=newest&limit=2&organization=${organization}&cursor=${newest.body.nextCursor}`)
      .set(...bearer(reviewerA.secret));
    const times = [...newest.body.items, ...next.body.items].map((c: { createdAt: string }) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const high = await t.http
      .get(`/v1/cases?priority=high&organization=${organization}`)
      .set(...bearer(reviewerA.secret));
    expect(high.body.items.map((c: { priority: string }) => c.priority)).toEqual(['high']);
    const mine = await t.http.get('/v1/cases?assignee=me&limit=500').set(...bearer(reviewerA.secret));
    expect(mine.body.items).toHaveLength(2);
    for (const c of mine.body.items) expect(c).toMatchObject({ assignee: reviewerA.id, claimed: true });
    const byId = await t.http.get(`/v1/cases?assignee=${reviewerB.id}&limit=500`).set(...bearer(auditor));
    expect(byId.body.items).toHaveLength(1);
    for (const c of byId.body.items) expect(c.assignee).toBe(reviewerB.id);
    const bad = await t.http.get('/v1/cases?status=pending&cursor=xyz').set(...bearer(reviewerA.secret));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('query.status');
    expect((await t.http.get('/v1/cases?cursor=bm9wZQ').set(...bearer(reviewerA.secret))).status).toBe(400);
  });

  it('keeps brokers and admins out of the queue', async () => {
    expect((await t.http.get('/v1/cases').set(...bearer(broker))).status).toBe(403);
    expect((await claim(t, broker)).status).toBe(403);
    const [caseId] = await openBlockCases(1);
    expect((await t.http.get(`/v1/cases/${caseId}`).set(...bearer(broker))).status).toBe(403);
    expect((await claim(t, auditor)).status).toBe(403);
    expect((await claim(t, t.adminKey)).status).toBe(403);
    expect((await t.http.get(`/v1/cases/00000000-0000-4000-8000-000000000000`).set(...bearer(auditor))).status).toBe(
      404,
    );
  });

  it('describes the review API in the OpenAPI document', async () => {
    const doc = (await t.http.get('/openapi.json')).body;
    for (const path of [
      '/v1/cases',
      '/v1/cases/claim',
      '/v1/cases/{id}',
      '/v1/cases/{id}/unclaim',
      '/v1/cases/{id}/decision',
      '/v1/cases/{id}/approval',
      '/v1/allow-list',
      '/v1/allow-list/{id}',
      '/v1/declarations/{id}/responses',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.CaseDecisionRequest.properties.action.enum).toEqual([
      'release',
      'hold',
      'refuse',
      'escalate',
      'request_info',
    ]);
    for (const name of [
      'CaseInformationRequest',
      'InformationResponse',
      'InformationResponseRequest',
      'BrokerInformationRequest',
      'CaseInformationRequestedEvent',
    ]) {
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });
});
