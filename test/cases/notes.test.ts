import { WEBHOOK_EVENT_TYPES } from '../../src/jobs/webhook-events';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { keyWithId, reviewLevelDeclaration, submitForCase } from './helpers';

const NOTE = 'Called the consignee: the end user named on the\ninvoice is a reseller in Bishkek.\tCheck the licence.';

describe('case notes', () => {
  let t: TestService;
  let broker: string;
  let reviewer: { id: string; secret: string; person?: string };
  let supervisor: { id: string; secret: string; person?: string };
  let auditor: string;
  let caseId: string;
  let declarationId: string;
  const ds = () => t.service.db.dataSource;
  const addNote = (key: string, body: unknown, id = caseId) =>
    t.http
      .post(`/v1/cases/${id}/notes`)
      .set(...bearer(key))
      .send(body as object);
  const noteCount = async () =>
    (
      await ds().query(`SELECT (SELECT count(*)::int FROM case_notes) AS notes,
    (SELECT count(*)::int FROM audit_events WHERE action = 'case.note_added') AS events`)
    )[0];

  beforeAll(async () => {
    t = await startTestService({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    supervisor = await keyWithId(t, 'supervisor');
    auditor = await t.key('auditor', 'customs-authority');
    // The broker listens to every event it may: none may carry a note.
    const hook = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url: 'http://127.0.0.1:9/hook', events: [...WEBHOOK_EVENT_TYPES] });
    expect(hook.status).toBe(201);
  }, 60000);
  afterAll(() => t.close());

  // A case of each test's own: the notes a test reads are the ones it added, whatever ran before it.
  beforeEach(async () => {
    ({ caseId, declarationId } = (await submitForCase(t, broker, reviewLevelDeclaration())) as {
      caseId: string;
      declarationId: string;
    });
  });

  it('lets a reviewer and a supervisor add notes, shown newest first in the case', async () => {
    const first = await addNote(reviewer.secret, { text: NOTE });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      text: NOTE,
      author: { keyId: reviewer.id, person: reviewer.person, role: 'reviewer' },
      createdAt: expect.any(String),
    });
    const second = await addNote(supervisor.secret, { text: '  Asked the licensing office for the permit file.  ' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      text: 'Asked the licensing office for the permit file.',
      author: { keyId: supervisor.id, person: supervisor.person, role: 'supervisor' },
    });

    const view = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(auditor));
    expect(view.status).toBe(200);
    expect(view.body.notes).toEqual([second.body, first.body]);
  });

  it("audits each note with its text, so the auditor's export holds it", async () => {
    const note = (await addNote(reviewer.secret, { text: NOTE })).body;
    const [event] = await ds().query(
      `SELECT actor, subject_type, subject_id, data FROM audit_events WHERE action = 'case.note_added' AND data->>'noteId' = $1`,
      [note.id],
    );
    expect(event).toEqual({
      actor: { keyId: reviewer.id, role: 'reviewer', organization: 'customs-authority', person: reviewer.person },
      subject_type: 'case',
      subject_id: caseId,
      data: { noteId: note.id, declarationId, text: NOTE },
    });
    const exported = await t.http
      .get(`/v1/audit/events?subjectId=${caseId}&action=case.note_added`)
      .set(...bearer(auditor))
      .set('Accept', 'application/x-ndjson');
    expect(exported.status).toBe(200);
    expect(exported.text).toContain(JSON.stringify(NOTE));
  });

  it('refuses brokers, auditors and admins (403), and bad or missing text (400), writing nothing', async () => {
    const before = await noteCount();
    for (const key of [broker, auditor, t.adminKey]) expect((await addNote(key, { text: 'A note' })).status).toBe(403);
    for (const body of [
      {},
      { text: '' },
      { text: '   ' },
      { text: 'x'.repeat(4001) },
      { text: 'bell\u0007' },
      { text: 'ok', extra: 1 },
      { text: 42 },
    ]) {
      const res = await addNote(reviewer.secret, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect((await addNote(reviewer.secret, { text: 'x'.repeat(4000) })).status).toBe(201);
    expect((await addNote(reviewer.secret, { text: 'Nobody' }, '00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    const after = await noteCount();
    expect(after).toEqual({ notes: before.notes + 1, events: before.events + 1 });
  });

  it('never shows notes to the broker: not in its declaration view, not in any webhook', async () => {
    expect((await addNote(reviewer.secret, { text: NOTE })).status).toBe(201);
    const view = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker));
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).not.toContain('reseller in Bishkek');
    expect(view.body).not.toHaveProperty('notes');
    expect((await t.http.get(`/v1/cases/${caseId}`).set(...bearer(broker))).status).toBe(403);
    const outbox: { payload: unknown }[] = await ds().query(`SELECT payload FROM outbox`);
    expect(JSON.stringify(outbox)).not.toContain('reseller in Bishkek');
  });

  it('keeps notes: the database refuses editing or deleting them', async () => {
    expect((await addNote(reviewer.secret, { text: 'A note to keep' })).status).toBe(201);
    await expect(ds().query(`UPDATE case_notes SET text = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(ds().query(`DELETE FROM case_notes`)).rejects.toThrow(/append-only/);
  });
});
