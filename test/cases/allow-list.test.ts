import { submit } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { approve, claim, decide, keyWithId, submitForCase, uploadWatchList, withConsignee } from './helpers';

const LISTED = 'Northwind Dual Trade LLC';
const DECLARED = 'Northwind Dual Trade LLC';
/** A listed party of each test's own (the tests of marks count and revoke the marks of their entry only). */
const OWN = {
  organisation: { id: 'N-3', name: 'Eastgate Precision Supply LLC' },
  all: { id: 'N-4', name: 'Southport Avionics Trading LLC' },
  changes: { id: 'N-5', name: 'Westmark Machine Components LLC' },
  pages: { id: 'N-6', name: 'Highland Optics Export LLC' },
};
const WATCH = [
  { id: 'N-1', name: LISTED, countries: ['RU'] },
  ...Object.values(OWN).map((e) => ({ ...e, countries: ['RU'] })),
];

interface HitView {
  id: string;
  kind: string;
  listId?: string;
  entryId?: string;
  suppressed?: boolean;
  suppressedBy?: string;
}

describe('false positives and the allow-list', () => {
  let t: TestService;
  let broker: string;
  let reviewer: { id: string; secret: string };
  let supervisor: { id: string; secret: string };
  let auditor: string;
  let otherBroker: string;
  const ds = () => t.service.db.dataSource;

  /** Flags a declaration, has the reviewer release it naming its party hit false, and a supervisor approve. */
  async function markFalsePositive(
    falsePositiveScope?: 'all',
    declared = DECLARED,
  ): Promise<{ caseId: string; partyHit: HitView }> {
    const { caseId, answer } = await submitForCase(t, broker, withConsignee(declared));
    expect(answer.screening.outcome).toBe('BLOCK');
    const partyHit = answer.screening.hits.find((h: HitView) => h.kind === 'party');
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const res = await decide(t, reviewer.secret, caseId!, {
      action: 'release',
      reason: 'Our consignee is registered in Almaty, not the listed one',
      falsePositiveHitIds: [partyHit.id],
      ...(falsePositiveScope ? { falsePositiveScope } : {}),
    });
    expect(res.status).toBe(200);
    expect(res.body.case.status).toBe('awaiting_approval');
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM allow_list_entries WHERE case_id = $1`, [caseId]);
    expect(n).toBe(0); // marks take effect with the approval, not before
    const ok = await approve(t, supervisor.secret, caseId!, { approve: true, reason: 'Checked the registry' });
    expect(ok.body.case).toMatchObject({ status: 'closed', resolution: 'released' });
    return { caseId: caseId!, partyHit };
  }

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    supervisor = await keyWithId(t, 'supervisor');
    auditor = await t.key('auditor', 'customs-authority');
    otherBroker = await t.key('broker', 'globex-brokers');
    await uploadWatchList(t, 'watch', WATCH);
  }, 90000);
  afterAll(() => t.close());

  // Each test starts with an empty queue whatever ran before it (or alone, with -t), so its claims take its own cases.
  beforeEach(async () => {
    await ds().query(`UPDATE review_cases SET status = 'closed', closed_at = now() WHERE closed_at IS NULL`);
  });

  it('refuses a non-party hit or an unknown hit id with a 400 naming the field, and writes nothing', async () => {
    const { caseId, answer } = await submitForCase(t, broker, withConsignee(DECLARED));
    const routeHit = answer.screening.hits.find((h: HitView) => h.kind === 'route');
    expect(routeHit).toBeDefined();
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const res = await decide(t, reviewer.secret, caseId!, {
      action: 'release',
      reason: 'not them',
      falsePositiveHitIds: [routeHit.id, 'p-000000000000'],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'body.falsePositiveHitIds[0]', message: expect.stringContaining('only party hits') },
      { path: 'body.falsePositiveHitIds[1]', message: expect.stringContaining('no hit') },
    ]);
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM case_decisions WHERE case_id = $1`, [caseId]);
    expect(n).toBe(0);
    await t.http
      .post(`/v1/cases/${caseId}/unclaim`)
      .set(...bearer(reviewer.secret))
      .expect(200);
    await ds().query(`UPDATE review_cases SET status = 'closed', closed_at = now() WHERE id = $1`, [caseId]);
  });

  it('suppresses the same hit in the next screening of the same party, until the mark is revoked', async () => {
    const { caseId, partyHit } = await markFalsePositive();

    const list = await t.http.get('/v1/allow-list?entryId=N-1').set(...bearer(supervisor.secret));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const mark = list.body.items[0];
    expect(mark).toMatchObject({
      listId: 'watch',
      entryId: 'N-1',
      entryHash: expect.stringMatching(/^[0-9a-f]{32}$/),
      entryChanged: false,
      hitId: partyHit.id,
      caseId,
      party: { name: DECLARED, country: 'RU', subject: 'consignee' },
      createdBy: { keyId: reviewer.id, role: 'reviewer', person: expect.any(String) },
      scope: 'acme-brokers',
      status: 'active',
      reason: 'Our consignee is registered in Almaty, not the listed one',
    });
    const days = (Date.parse(mark.expiresAt) - Date.parse(mark.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(t.config.ALLOW_LIST_DAYS, 1);
    expect((await t.http.get('/v1/allow-list').set(...bearer(auditor))).status).toBe(200);
    expect((await t.http.get('/v1/allow-list').set(...bearer(reviewer.secret))).status).toBe(403);

    const again = await submit(t.http, broker, withConsignee(DECLARED));
    expect(again.status).toBe(201);
    const hit = again.body.screening.hits.find((h: HitView) => h.kind === 'party');
    // The broker learns the hit no longer counts; which mark suppressed it is for the authority.
    expect(hit).toMatchObject({ id: partyHit.id, suppressed: true });
    expect(hit).not.toHaveProperty('suppressedBy');
    const internal = await t.http.get(`/v1/declarations/${again.body.id}`).set(...bearer(auditor));
    expect(internal.body.screening.hits.find((h: HitView) => h.kind === 'party')).toMatchObject({
      suppressed: true,
      suppressedBy: mark.id,
    });
    expect(again.body.screening.outcome).toBe('CLEAR');
    expect(again.body.status).toBe('cleared');

    expect((await t.http.delete(`/v1/allow-list/${mark.id}`).set(...bearer(supervisor.secret))).status).toBe(403);
    const revoked = await t.http.delete(`/v1/allow-list/${mark.id}`).set(...bearer(t.adminKey));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: mark.id, status: 'revoked', revokedAt: expect.any(String) });
    expect((await t.http.delete(`/v1/allow-list/${mark.id}`).set(...bearer(t.adminKey))).body.status).toBe('revoked');
    const events = await ds().query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id`, [mark.id]);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['allow_list.created', 'allow_list.revoked']);

    const afterRevoke = await submit(t.http, broker, withConsignee(DECLARED));
    expect(afterRevoke.body.screening.hits.find((h: HitView) => h.kind === 'party').suppressed).toBeUndefined();
    expect(afterRevoke.body.screening.outcome).toBe('BLOCK');
    expect(
      (await t.http.get('/v1/allow-list?status=revoked&entryId=N-1').set(...bearer(auditor))).body.items,
    ).toHaveLength(1);
    expect(
      (await t.http.get('/v1/allow-list?status=active&entryId=N-1').set(...bearer(auditor))).body.items,
    ).toHaveLength(0);
    await ds().query(`UPDATE review_cases SET status = 'closed', closed_at = now() WHERE closed_at IS NULL`);
  });

  it('keeps a mark to the organisation of the declaration it was made on', async () => {
    const { id, name } = OWN.organisation;
    const { partyHit } = await markFalsePositive(undefined, name);
    const [mark] = (await t.http.get(`/v1/allow-list?status=active&entryId=${id}`).set(...bearer(auditor))).body.items;
    expect(mark).toMatchObject({ hitId: partyHit.id, scope: 'acme-brokers' });

    const own = await submit(t.http, broker, withConsignee(name));
    expect(own.body.screening.hits.find((h: HitView) => h.kind === 'party')).toMatchObject({ suppressed: true });
    const other = await submit(t.http, otherBroker, withConsignee(name));
    expect(other.body.screening.hits.find((h: HitView) => h.kind === 'party').suppressed).toBeUndefined();
    expect(other.body.screening.outcome).toBe('BLOCK');
    await t.http
      .delete(`/v1/allow-list/${mark.id}`)
      .set(...bearer(t.adminKey))
      .expect(200);
    await ds().query(`UPDATE review_cases SET status = 'closed', closed_at = now() WHERE closed_at IS NULL`);
  });

  it('applies a mark to every organisation only when a supervisor approves it for all', async () => {
    const { id, name } = OWN.all;
    const { caseId: noIds } = await submitForCase(t, broker, withConsignee(name));
    expect((await claim(t, reviewer.secret)).body.id).toBe(noIds);
    const bad = await decide(t, reviewer.secret, noIds!, {
      action: 'release',
      reason: 'not them',
      falsePositiveScope: 'all',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'body.falsePositiveScope', message: expect.stringContaining('falsePositiveHitIds') },
    ]);
    await t.http
      .post(`/v1/cases/${noIds}/unclaim`)
      .set(...bearer(reviewer.secret))
      .expect(200);
    await ds().query(`UPDATE review_cases SET status = 'closed', closed_at = now() WHERE id = $1`, [noIds]);

    const { caseId, partyHit } = await markFalsePositive('all', name);
    const [mark] = (await t.http.get(`/v1/allow-list?status=active&entryId=${id}`).set(...bearer(auditor))).body.items;
    expect(mark).toMatchObject({ hitId: partyHit.id, caseId, scope: 'all' });
    const forAll = await t.http.get(`/v1/allow-list?scope=all&entryId=${id}`).set(...bearer(auditor));
    expect(forAll.body.items.map((m: { id: string }) => m.id)).toEqual([mark.id]);
    const other = await submit(t.http, otherBroker, withConsignee(name));
    expect(other.body.screening.hits.find((h: HitView) => h.kind === 'party')).toMatchObject({ suppressed: true });
    expect(other.body.screening.outcome).toBe('CLEAR');
    await t.http
      .delete(`/v1/allow-list/${mark.id}`)
      .set(...bearer(t.adminKey))
      .expect(200);
  });

  it('stops suppressing when the list entry changes', async () => {
    const { id, name } = OWN.changes;
    await markFalsePositive(undefined, name);
    expect((await submit(t.http, broker, withConsignee(name))).body.screening.outcome).toBe('CLEAR');

    const v2 = await uploadWatchList(
      t,
      'watch',
      WATCH.map((e) => (e.id === id ? { ...e, aliases: ['Westmark MC'] } : e)),
    );
    const changed = await submit(t.http, broker, withConsignee(name));
    const hit = changed.body.screening.hits.find((h: HitView) => h.kind === 'party');
    expect(hit.suppressed).toBeUndefined();
    expect(changed.body.screening.outcome).toBe('BLOCK');
    const active = await t.http
      .get(`/v1/allow-list?status=active&listId=watch&entryId=${id}`)
      .set(...bearer(supervisor.secret));
    expect(active.body.items).toEqual([expect.objectContaining({ entryId: id, entryChanged: true })]);
    // The new version re-screens the declaration the mark cleared and opens its case: let that finish here, so no case
    // of this test reaches the queue after the next test has emptied it.
    await eventually(async () => {
      const v = await t.http.get(`/v1/lists/watch/versions/${v2.id}`).set(...bearer(t.adminKey));
      return v.body.rescreen?.status === 'completed';
    }, 30000);
  });

  it('pages the allow-list newest first', async () => {
    // Two marks of the test's own, so there are pages to turn; the first is revoked, or it would suppress the party hit
    // the second is made on.
    const { caseId } = await markFalsePositive(undefined, OWN.pages.name);
    const [own] = await ds().query(`SELECT id FROM allow_list_entries WHERE case_id = $1`, [caseId]);
    await t.http
      .delete(`/v1/allow-list/${own.id}`)
      .set(...bearer(t.adminKey))
      .expect(200);
    await markFalsePositive(undefined, OWN.pages.name);
    const first = await t.http.get('/v1/allow-list?limit=1').set(...bearer(auditor));
    expect(first.body.items).toHaveLength(1);
    const second = await t.http.get(`/v1/allow-list?limit=1&cursor=${first.body.nextCursor}`).set(...bearer(auditor));
    expect(second.body.items).toHaveLength(1);
    expect(Date.parse(first.body.items[0].createdAt)).toBeGreaterThanOrEqual(
      Date.parse(second.body.items[0].createdAt),
    );
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const seen = [first.body.items[0].id, second.body.items[0].id];
    for (let cursor = second.body.nextCursor; cursor;) {
      const next = await t.http.get(`/v1/allow-list?limit=1&cursor=${cursor}`).set(...bearer(auditor));
      seen.push(...next.body.items.map((m: { id: string }) => m.id));
      cursor = next.body.nextCursor;
    }
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM allow_list_entries`);
    expect(new Set(seen).size).toBe(n);
    expect(
      (await t.http.delete('/v1/allow-list/00000000-0000-4000-8000-000000000000').set(...bearer(t.adminKey))).status,
    ).toBe(404);
  });
});
