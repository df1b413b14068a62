import { bearer, startTestService, type TestService } from '../support/test-service';

const PUBLIC_URL = 'https://93.184.215.14/hooks/screening';

describe('webhook registration refuses non-public URLs', () => {
  let t: TestService;
  let broker: string;
  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1/hook',
    'http://10.0.0.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://localhost/hook',
    'http://192.168.1.20:8080/hook',
    'http://[fd00::1]/hook',
    'ftp://example.com/hook',
    'https://user:pass@93.184.215.14/hook',
  ])('answers 400 naming body.url for %s, and writes nothing', async (url) => {
    const res = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url, events: ['case.decided'] });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.url']);
    const [{ n }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM webhooks`);
    expect(n).toBe(0);
  });

  it('validates events and the body, naming each field', async () => {
    const post = (body: unknown) =>
      t.http
        .post('/v1/webhooks')
        .set(...bearer(broker))
        .send(body as object);
    const unknown = await post({ url: PUBLIC_URL, events: ['case.decided', 'declaration.deleted'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.events[1]');
    expect((await post({ url: PUBLIC_URL, events: [] })).body.errors[0].path).toBe('body.events');
    expect((await post({ events: ['case.decided'] })).body.errors[0].path).toBe('body.url');
    expect((await post({ url: PUBLIC_URL, events: ['case.decided'], secret: 'mine' })).status).toBe(400);
    const text = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .set('Content-Type', 'text/plain')
      .send('url=x');
    expect(text.status).toBe(415);
  });

  it('accepts a public address and de-duplicates the events', async () => {
    const res = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url: PUBLIC_URL, events: ['case.decided', 'case.decided', 'batch.completed'] });
    expect(res.status).toBe(201);
    expect(res.body.events).toEqual(['case.decided', 'batch.completed']);
    await t.http
      .delete(`/v1/webhooks/${res.body.id}`)
      .set(...bearer(broker))
      .expect(204);
  });
});

describe('webhook API: secrets, scoping, audit', () => {
  let t: TestService;
  let brokerA: string;
  let brokerB: string;
  beforeAll(async () => {
    t = await startTestService();
    brokerA = await t.key('broker', 'org-a');
    brokerB = await t.key('broker', 'org-b');
  });
  afterAll(() => t.close());

  const create = (key: string, body: Record<string, unknown> = {}) =>
    t.http
      .post('/v1/webhooks')
      .set(...bearer(key))
      .send({ url: PUBLIC_URL, events: ['declaration.screened', 'case.decided'], ...body });

  it('shows the signing secret once, stores it only for signing, and never lists it', async () => {
    const res = await create(brokerA, { description: 'ERP integration' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      organization: 'org-a',
      url: PUBLIC_URL,
      events: ['declaration.screened', 'case.decided'],
      description: 'ERP integration',
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[\w-]{43}$/),
    });
    const { secret, id } = res.body;

    const list = await t.http.get('/v1/webhooks').set(...bearer(brokerA));
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);
    const admin = await t.http.get('/v1/webhooks').set(...bearer(t.adminKey));
    const deliveries = await t.http.get(`/v1/webhooks/${id}/deliveries`).set(...bearer(brokerA));
    expect(deliveries.body).toEqual({ items: [], nextCursor: null });
    for (const body of [list.body, admin.body, deliveries.body]) {
      expect(JSON.stringify(body)).not.toContain(secret);
      expect(JSON.stringify(body)).not.toContain('whsec_');
      expect(JSON.stringify(body)).not.toContain('"secret"');
    }

    const events = await t.service.db.dataSource.query(
      `SELECT actor, action, data FROM audit_events WHERE subject_id = $1`,
      [id],
    );
    expect(events).toEqual([expect.objectContaining({ action: 'webhook.created' })]);
    expect(events[0].actor.role).toBe('broker');
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it("keeps a broker to its own organisation: another organisation's webhook is 404", async () => {
    const b = (await create(brokerB)).body;
    const listA = await t.http.get('/v1/webhooks').set(...bearer(brokerA));
    expect(listA.body.items.every((w: { organization: string }) => w.organization === 'org-a')).toBe(true);
    expect(listA.body.items.map((w: { id: string }) => w.id)).not.toContain(b.id);
    expect((await t.http.delete(`/v1/webhooks/${b.id}`).set(...bearer(brokerA))).status).toBe(404);
    expect((await t.http.get(`/v1/webhooks/${b.id}/deliveries`).set(...bearer(brokerA))).status).toBe(404);
    expect((await create(brokerA, { organization: 'org-b' })).status).toBe(403);

    // The webhook survived the attempt; its owner and an admin see it.
    const listB = await t.http.get('/v1/webhooks').set(...bearer(brokerB));
    expect(listB.body.items.map((w: { id: string }) => w.id)).toContain(b.id);
    const all = await t.http.get('/v1/webhooks?limit=500').set(...bearer(t.adminKey));
    expect(new Set(all.body.items.map((w: { organization: string }) => w.organization))).toEqual(
      new Set(['org-a', 'org-b']),
    );
  });

  it('lets an admin register a webhook for an organisation and delete any', async () => {
    const created = await create(t.adminKey, { organization: 'org-b' });
    expect(created.status).toBe(201);
    expect(created.body.organization).toBe('org-b');
    expect(
      (await t.http.get('/v1/webhooks').set(...bearer(brokerB))).body.items.map((w: { id: string }) => w.id),
    ).toContain(created.body.id);
    expect((await t.http.delete(`/v1/webhooks/${created.body.id}`).set(...bearer(t.adminKey))).status).toBe(204);
  });

  it('deletes with an audit event; a deleted webhook is gone from listings and 404 afterwards', async () => {
    const { id } = (await create(brokerA)).body;
    expect((await t.http.delete(`/v1/webhooks/${id}`).set(...bearer(brokerA))).status).toBe(204);
    expect((await t.http.delete(`/v1/webhooks/${id}`).set(...bearer(brokerA))).status).toBe(404);
    expect((await t.http.get(`/v1/webhooks/${id}/deliveries`).set(...bearer(brokerA))).status).toBe(404);
    const list = await t.http.get('/v1/webhooks?limit=500').set(...bearer(t.adminKey));
    expect(list.body.items.map((w: { id: string }) => w.id)).not.toContain(id);
    const actions = await t.service.db.dataSource.query(
      `SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['webhook.created', 'webhook.deleted']);
  });

  it('answers 403 to other roles, 400 to a malformed id or cursor', async () => {
    const reviewer = await t.key('reviewer', 'customs-authority');
    expect((await t.http.get('/v1/webhooks').set(...bearer(reviewer))).status).toBe(403);
    expect((await create(reviewer)).status).toBe(403);
    const bad = await t.http.delete('/v1/webhooks/xyz').set(...bearer(brokerA));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('params.id');
    const forged = Buffer.from(JSON.stringify({ at: new Date().toISOString(), id: 'not-a-uuid' })).toString(
      'base64url',
    );
    expect((await t.http.get(`/v1/webhooks?cursor=${forged}`).set(...bearer(brokerA))).status).toBe(400);
    expect((await t.http.get('/v1/webhooks?cursor=garbage').set(...bearer(brokerA))).status).toBe(400);
  });

  it('pages through webhooks with a cursor, newest first', async () => {
    for (let i = 0; i < 3; i += 1) await create(brokerB, { description: `page ${i}` });
    const first = await t.http.get('/v1/webhooks?limit=2').set(...bearer(brokerB));
    expect(first.body.items).toHaveLength(2);
    const second = await t.http.get(`/v1/webhooks?limit=2&cursor=${first.body.nextCursor}`).set(...bearer(brokerB));
    const ids = [...first.body.items, ...second.body.items].map((w: { id: string }) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(Date.parse(first.body.items[1].createdAt)).toBeGreaterThanOrEqual(
      Date.parse(second.body.items[0].createdAt),
    );
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const doc = (await t.http.get('/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries']),
    );
  });
});
