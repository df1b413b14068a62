import { hashSecret } from '../../src/auth/secrets';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

describe('API keys and authentication', () => {
  let t: TestService;
  beforeAll(async () => { t = await startTestService(); });
  afterAll(() => t.close());

  it('creates a key whose secret is shown once and stored only as a hash', async () => {
    const res = await t.http.post('/v1/api-keys').set(...bearer(t.adminKey)).send({ name: 'broker one', role: 'broker', organization: 'acme' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), role: 'broker', organization: 'acme', secret: expect.stringMatching(/^dus_[\w-]{43}$/) });
    const rows = await t.service.db.dataSource.query(`SELECT * FROM api_keys WHERE id = $1`, [res.body.id]);
    expect(rows[0].secret_hash).toBe(hashSecret(res.body.secret));
    expect(JSON.stringify(rows[0])).not.toContain(res.body.secret);

    const list = await t.http.get('/v1/api-keys').set(...bearer(t.adminKey));
    expect(list.status).toBe(200);
    expect(list.body.items.some((k: { id: string }) => k.id === res.body.id)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
    expect(JSON.stringify(list.body)).not.toContain('secretHash');
  });

  it('answers 401 without a key or with an unknown one, 403 for a wrong role', async () => {
    expect((await t.http.get('/v1/api-keys')).status).toBe(401);
    expect((await t.http.get('/v1/api-keys').set('Authorization', 'Bearer dus_not-a-real-key')).status).toBe(401);
    expect((await t.http.get('/v1/api-keys').set('Authorization', 'Basic abc')).status).toBe(401);
    const broker = await t.key('broker');
    const res = await t.http.get('/v1/api-keys').set(...bearer(broker));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('stops a revoked key at once', async () => {
    const created = await t.http.post('/v1/api-keys').set(...bearer(t.adminKey)).send({ name: 'temp admin', role: 'admin', organization: 'authority', person: 'temp-admin@authority.example' });
    const secret = created.body.secret;
    expect((await t.http.get('/v1/api-keys').set(...bearer(secret))).status).toBe(200);
    const revoked = await t.http.delete(`/v1/api-keys/${created.body.id}`).set(...bearer(t.adminKey));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await t.http.get('/v1/api-keys').set(...bearer(secret))).status).toBe(401);
  });

  it('answers 404 for an unknown key id and 400 for a malformed one', async () => {
    expect((await t.http.delete('/v1/api-keys/00000000-0000-4000-8000-000000000000').set(...bearer(t.adminKey))).status).toBe(404);
    const bad = await t.http.delete('/v1/api-keys/xyz').set(...bearer(t.adminKey));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('params.id');
  });

  it('pages through keys with a cursor, newest first', async () => {
    for (let i = 0; i < 3; i += 1) await t.key('auditor', `org-${i}`);
    const first = await t.http.get('/v1/api-keys?limit=2').set(...bearer(t.adminKey));
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http.get(`/v1/api-keys?limit=2&cursor=${first.body.nextCursor}`).set(...bearer(t.adminKey));
    const ids = [...first.body.items, ...second.body.items].map((k: { id: string }) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Date.parse(first.body.items[1].createdAt)).toBeGreaterThanOrEqual(Date.parse(second.body.items[0].createdAt));
    expect((await t.http.get('/v1/api-keys?cursor=garbage').set(...bearer(t.adminKey))).status).toBe(400);
  });

  it('keeps the bootstrap key working across restarts without duplicating it', async () => {
    await t.service.keys.ensureBootstrapKey(t.adminKey, 'customs-authority');
    const [{ n }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM api_keys WHERE secret_hash = $1`, [hashSecret(t.adminKey)]);
    expect(n).toBe(1);
  });
});

describe('rate limiting', () => {
  let t: TestService;
  beforeAll(async () => { t = await startTestService({ RATE_LIMIT_PER_MINUTE: 5 }); });
  afterAll(() => t.close());

  it('limits each key on its own', async () => {
    const other = await t.key('admin', 'authority');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await t.http.get('/v1/api-keys').set(...bearer(t.adminKey))).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const limited = await t.http.get('/v1/api-keys').set(...bearer(t.adminKey));
    expect(limited.body.code).toBe('rate_limited');
    expect((await t.http.get('/v1/api-keys').set(...bearer(other))).status).toBe(200);
  });
});

describe('bootstrap admin key', () => {
  let t: TestService;
  beforeAll(async () => { t = await startTestService(); });
  afterAll(() => t.close());

  it('is restored at start when someone revoked it, and the restoration is audited', async () => {
    const [{ id }] = await t.service.db.dataSource.query(`SELECT id FROM api_keys WHERE secret_hash = $1`, [hashSecret(t.adminKey)]);
    expect((await t.http.delete(`/v1/api-keys/${id}`).set(...bearer(t.adminKey))).status).toBe(200);
    expect((await t.http.get('/v1/api-keys').set(...bearer(t.adminKey))).status).toBe(401);
    await t.service.keys.ensureBootstrapKey(t.adminKey, 'customs-authority');
    expect((await t.http.get('/v1/api-keys').set(...bearer(t.adminKey))).status).toBe(200);
    const [{ n }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'api_key.restored' AND subject_id = $1`, [id]);
    expect(n).toBe(1);
  });
});

describe('key cache across processes', () => {
  it('stops a revoked key in every process at once, though each caches authenticated keys', async () => {
    const a = await startTestService({ AUTH_CACHE_MS: 60000 });
    const { createService } = await import('../../src/composition');
    const b = await createService(a.config, 'api');
    await b.start();
    const request = (await import('supertest')).default;
    try {
      const created = await a.http.post('/v1/api-keys').set(...bearer(a.adminKey)).send({ name: 'cached', role: 'auditor', organization: 'authority' });
      const inB = request(b.app!);
      expect((await inB.get('/v1/audit/verify').set(...bearer(created.body.secret))).status).toBe(200);
      // Now cached in B: revoke through A, and B must refuse it without waiting for the cache to expire.
      expect((await a.http.delete(`/v1/api-keys/${created.body.id}`).set(...bearer(a.adminKey))).status).toBe(200);
      const started = Date.now();
      await eventually(async () => (await inB.get('/v1/audit/verify').set(...bearer(created.body.secret))).status === 401, 5000, 20);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
