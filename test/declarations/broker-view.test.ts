import { declaration, submit } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { Receiver } from '../webhooks/receiver';
import { approve, claim, decide, keyWithId, submitForCase, uploadWatchList, withConsignee } from '../cases/helpers';

const LISTED = 'Harrier Optics Export LLC';
const DECISION_REASON = 'Consignee matches the listed entity: same address in Kazan';
const APPROVAL_REASON = 'Confirmed with the registry extract';
/** Keys of the review that must never reach a broker, at any depth. */
const INTERNAL_KEYS = [
  'history',
  'case',
  'weight',
  'partyFingerprint',
  'suppressedBy',
  'decidedBy',
  'approvedBy',
  'reason',
  'decisionId',
  'assignee',
];

function keysDeep(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysDeep(v, into);
    }
  }
  return into;
}

describe('brokers see their answer, not the review', () => {
  let t: TestService;
  let receiver: Receiver;
  let broker: string;
  let reviewer: { id: string; secret: string; person?: string };
  let supervisor: { id: string; secret: string; person?: string };
  let declarationId: string;
  let caseId: string;
  let submitted: Record<string, any>;
  let idempotencyKey: string;
  let body: Record<string, unknown>;

  /** Asserts nothing of the review is in a broker's answer: no internal key, no reviewer identity, no reason. */
  function assertNoReview(body: unknown) {
    const keys = keysDeep(body);
    for (const k of INTERNAL_KEYS) expect({ key: k, present: keys.has(k) }).toEqual({ key: k, present: false });
    const text = JSON.stringify(body);
    for (const secretish of [
      reviewer.id,
      supervisor.id,
      reviewer.person!,
      supervisor.person!,
      DECISION_REASON,
      APPROVAL_REASON,
    ])
      expect(text).not.toContain(secretish);
  }

  beforeAll(async () => {
    t = await startTestService({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: 200 });
    receiver = await Receiver.start();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    supervisor = await keyWithId(t, 'supervisor');
    await uploadWatchList(t, 'watch', [{ id: 'H-1', name: LISTED }]);
    const hook = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url: receiver.url('/hook'), events: ['declaration.screened', 'case.decided'] });
    expect(hook.status).toBe(201);

    idempotencyKey = `broker-view-${Date.now()}`;
    body = withConsignee(LISTED);
    const res = await submit(t.http, broker, body, idempotencyKey);
    expect(res.status).toBe(201);
    submitted = res.body;
    declarationId = res.body.id;
    caseId = res.body.caseId;
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    expect((await decide(t, reviewer.secret, caseId, { action: 'refuse', reason: DECISION_REASON })).status).toBe(200);
    expect((await approve(t, supervisor.secret, caseId, { approve: true, reason: APPROVAL_REASON })).status).toBe(200);
  }, 90000);
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('gives the owner broker status, outcome, screenings with public hit fields and the final decision, nothing of the case', async () => {
    const res = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: declarationId,
      status: 'refused',
      outcome: 'BLOCK',
      declaration: { reference: submitted.reference },
    });
    expect(res.body.decision).toEqual({ action: 'refuse', decidedAt: expect.any(String) });
    const party = res.body.screening.hits.find((h: { kind: string }) => h.kind === 'party');
    expect(party).toMatchObject({
      listId: 'watch',
      entryId: 'H-1',
      matched: LISTED,
      score: expect.any(Number),
      explanation: expect.any(String),
    });
    expect(Object.keys(party.evidence.match.tokens[0]).sort()).toEqual([
      'listToken',
      'note',
      'queryToken',
      'similarity',
    ]);
    assertNoReview(res.body);
  });

  it('gives reviewers and auditors the review: case, history with reasons and reviewers, hit weights and fingerprints', async () => {
    for (const key of [reviewer.secret, await t.key('auditor', 'customs-authority')]) {
      const res = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(key));
      expect(res.status).toBe(200);
      expect(res.body.case).toMatchObject({ id: caseId, status: 'closed' });
      expect(res.body.decision).toEqual({ action: 'refuse', decidedAt: expect.any(String) });
      const party = res.body.screening.hits.find((h: { kind: string }) => h.kind === 'party');
      expect(party).toMatchObject({ weight: expect.any(Number), partyFingerprint: expect.any(String) });
      const decisionEvent = res.body.history.find((h: { action: string }) => h.action === 'case.decision');
      expect(decisionEvent).toMatchObject({
        actor: { keyId: reviewer.id, person: reviewer.person },
        data: { reason: DECISION_REASON },
      });
      expect(res.body.history.find((h: { action: string }) => h.action === 'case.approval').data.reason).toBe(
        APPROVAL_REASON,
      );
    }
  });

  it('strips the submit answer, its idempotent replay and the declaration list down to public fields', async () => {
    assertNoReview(submitted);
    expect(submitted).toMatchObject({ status: 'under_review', screening: { outcome: 'BLOCK' } });
    const replay = await submit(t.http, broker, body, idempotencyKey);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(submitted);
    const list = await t.http.get('/v1/declarations').set(...bearer(broker));
    expect(Object.keys(list.body.items[0]).sort()).toEqual([
      'batchId',
      'createdAt',
      'id',
      'organization',
      'outcome',
      'procedure',
      'reference',
      'riskScore',
      'status',
      'updatedAt',
    ]);
    assertNoReview(list.body);
  });

  it('answers batch progress with its listed fields only', async () => {
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: [declaration({ reference: `BV-${Date.now()}` }), { reference: 'broken' }] });
    expect(res.status).toBe(202);
    const done = await eventually(async () => {
      const b = await t.http.get(`/v1/batches/${res.body.batchId}`).set(...bearer(broker));
      return b.body.status === 'completed' ? b.body : undefined;
    }, 30000);
    expect(Object.keys(done).sort()).toEqual([
      'createdAt',
      'finishedAt',
      'id',
      'items',
      'processed',
      'status',
      'total',
    ]);
    expect(done.items[0]).toEqual({ index: 0, declarationId: expect.any(String) });
    expect(done.items[1]).toEqual({ index: 1, error: { code: 'validation_failed', errors: expect.any(Array) } });
  });

  it('tells webhooks what was decided and when, never who or why', async () => {
    const decided = await eventually(
      async () => receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.type === 'case.decided'),
      30000,
    );
    expect(decided.data).toEqual({
      caseId,
      declarationId,
      reference: submitted.reference,
      resolution: 'refused',
      declarationStatus: 'refused',
      decidedAt: expect.any(String),
    });
    const screened = receiver.requests.map((r) => JSON.parse(r.body)).find((b) => b.type === 'declaration.screened');
    expect(Object.keys(screened.data).sort()).toEqual([
      'caseId',
      'declarationId',
      'outcome',
      'reference',
      'riskScore',
      'screeningId',
    ]);
    for (const r of receiver.requests) assertNoReview(JSON.parse(r.body).data);
  });

  it('describes both views in the OpenAPI document', async () => {
    const doc = (await t.http.get('/openapi.json')).body;
    const schemas = doc.components.schemas;
    expect(JSON.stringify(schemas.BrokerDeclaration)).not.toMatch(/"(history|case)"/);
    expect(Object.keys(schemas.BrokerHit.properties)).not.toContain('weight');
    expect(JSON.stringify(schemas.DeclarationDetail)).toMatch(/"history".*"case"|"case".*"history"/);
    expect(Object.keys(schemas.InternalHit.allOf?.[1]?.properties ?? schemas.InternalHit.properties)).toEqual(
      expect.arrayContaining(['weight', 'partyFingerprint']),
    );
    expect(Object.keys(schemas.CaseDecidedEvent.properties)).not.toContain('decisionId');
    expect(JSON.stringify(doc.paths['/v1/declarations/{id}'].get.responses['200'])).toContain('BrokerDeclaration');
  });
});

describe('a broker never reaches another organisation or a case', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  }, 60000);
  afterAll(() => t.close());

  it("answers 404 for another organisation's declaration and 403 for cases", async () => {
    const acme = await t.key('broker', 'acme');
    const globex = await t.key('broker', 'globex');
    const { declarationId } = await submitForCase(
      t,
      acme,
      declaration({ countryOfDestination: 'RU', procedure: 'export' }),
    );
    expect((await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(globex))).status).toBe(404);
    expect((await t.http.get('/v1/cases').set(...bearer(acme))).status).toBe(403);
  });
});
