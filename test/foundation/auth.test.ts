import { randomBytes } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { hashSecret } from '../../src/auth/secrets';
import { createService } from '../../src/composition';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

describe('API keys and authentication', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());

  it('creates a key whose secret is shown once and stored only as a hash', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: 'broker one', role: 'broker', organization: 'acme' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      role: 'broker',
      organization: 'acme',
      secret: expect.stringMatching(/^dus_[\w-]{43}$/),
    });
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
    const created = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: 'temp admin', role: 'admin', organization: 'authority', person: 'temp-admin@authority.example' });
    const secret = created.body.secret;
    expect((await t.http.get('/v1/api-keys').set(...bearer(secret))).status).toBe(200);
    const revoked = await t.http.delete(`/v1/api-keys/${created.body.id}`).set(...bearer(t.adminKey));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await t.http.get('/v1/api-keys').set(...bearer(secret))).status).toBe(401);
  });

  it('answers 404 for an unknown key id and 400 for a malformed one', async () => {
    expect(
      (await t.http.delete('/v1/api-keys/00000000-0000-4000-8000-000000000000').set(...bearer(t.adminKey))).status,
    ).toBe(404);
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
    expect(Date.parse(first.body.items[1].createdAt)).toBeGreaterThanOrEqual(
      Date.parse(second.body.items[0].createdAt),
    );
    expect((await t.http.get('/v1/api-keys?cursor=garbage').set(...bearer(t.adminKey))).status).toBe(400);
  });

  it('keeps lastUsedAt coarsely: one write per key per interval, not one per request', async () => {
    const secret = await t.key('auditor', 'customs-authority');
    const row = async () =>
      (
        await t.service.db.dataSource.query(
          `SELECT last_used_at, xmin::text AS version FROM api_keys WHERE secret_hash = $1`,
          [hashSecret(secret)],
        )
      )[0] as { last_used_at: Date | null; version: string };
    expect((await row()).last_used_at).toBeNull();
    await t.http
      .get('/v1/audit/verify')
      .set(...bearer(secret))
      .expect(200);
    const first = await eventually(async () => {
      const r = await row();
      return r.last_used_at ? r : undefined;
    });
    for (let i = 0; i < 10; i += 1)
      await t.http
        .get('/v1/audit/verify')
        .set(...bearer(secret))
        .expect(200);
    // Within the interval (5 minutes by default) the row is not written again: same row version, same instant.
    expect(await row()).toEqual(first);
    const listed = await t.http.get('/v1/api-keys?limit=500').set(...bearer(t.adminKey));
    const view = listed.body.items.find((k: { secretPrefix: string }) => secret.startsWith(k.secretPrefix));
    expect(Date.parse(view.lastUsedAt)).toBe(first.last_used_at!.getTime());
  });

  it('keeps the bootstrap key working across restarts without duplicating it', async () => {
    await t.service.keys.ensureBootstrapKey(t.adminKey, 'customs-authority');
    const [{ n }] = await t.service.db.dataSource.query(
      `SELECT count(*)::int AS n FROM api_keys WHERE secret_hash = $1`,
      [hashSecret(t.adminKey)],
    );
    expect(n).toBe(1);
  });
});

describe('rate limiting', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ RATE_LIMIT_PER_MINUTE: 5 });
  });
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
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());
  const ds = () => t.service.db.dataSource;

  /** An ApiKeysService on the same database whose log lines are kept, to see what ensureBootstrapKey says. */
  function withCapturedLog(): { keys: ApiKeysService; lines: string[] } {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          lines.push(line);
        },
      },
    );
    return { keys: new ApiKeysService(ds(), t.service.uow, { logger }), lines };
  }

  it('is made with the person bootstrap-admin, and not again while it is active', async () => {
    await t.service.keys.ensureBootstrapKey(t.adminKey, 'customs-authority');
    const rows = await ds().query(`SELECT person, bootstrap, role FROM api_keys WHERE secret_hash = $1`, [
      hashSecret(t.adminKey),
    ]);
    expect(rows).toEqual([{ person: 'bootstrap-admin', bootstrap: true, role: 'admin' }]);
  });

  it('is never revived once an admin revoked it, and warns without naming the secret, across a restart too', async () => {
    const successor = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({
        name: 'head of compliance',
        role: 'admin',
        organization: 'customs-authority',
        person: 'head@customs.example',
      });
    const [{ id }] = await ds().query(`SELECT id FROM api_keys WHERE secret_hash = $1`, [hashSecret(t.adminKey)]);
    expect((await t.http.delete(`/v1/api-keys/${id}`).set(...bearer(successor.body.secret))).status).toBe(200);
    expect((await t.http.get('/v1/api-keys').set(...bearer(t.adminKey))).status).toBe(401);

    const { keys, lines } = withCapturedLog();
    await keys.ensureBootstrapKey(t.adminKey, 'customs-authority');
    expect((await t.http.get('/v1/api-keys').set(...bearer(t.adminKey))).status).toBe(401);
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.level === 40);
    expect(warning).toMatchObject({ keyId: id, msg: expect.stringContaining('revoked') });
    expect(lines.join('\n')).not.toContain(t.adminKey);

    // A restart with the same configuration does not bring it back either.
    const restarted = await createService(t.config, 'api');
    try {
      expect(
        (
          await request(restarted.app!)
            .get('/v1/api-keys')
            .set(...bearer(t.adminKey))
        ).status,
      ).toBe(401);
    } finally {
      await restarted.close();
    }
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'api_key.restored'`);
    expect(n).toBe(0);
    expect((await t.http.get('/v1/api-keys').set(...bearer(successor.body.secret))).status).toBe(200);
  });

  it('makes a key from a new secret only while no active admin key exists', async () => {
    const fresh = `bootstrap-${randomBytes(16).toString('hex')}`;
    const { keys, lines } = withCapturedLog();
    await keys.ensureBootstrapKey(fresh, 'customs-authority');
    expect(await ds().query(`SELECT 1 FROM api_keys WHERE secret_hash = $1`, [hashSecret(fresh)])).toHaveLength(0);
    expect(lines.join('\n')).toContain('an active admin key exists');

    // Every admin key revoked (or expired): the configured secret is the way back in.
    await ds().query(`UPDATE api_keys SET revoked_at = now() WHERE role = 'admin' AND revoked_at IS NULL`);
    await keys.ensureBootstrapKey(fresh, 'customs-authority');
    const me = await t.http.get('/v1/me').set(...bearer(fresh));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'admin', person: 'bootstrap-admin' });
  });
});

describe('key expiry and last use', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ AUTH_CACHE_MS: 60000, API_KEY_LAST_USED_MINUTES: 0.02 });
  });
  afterAll(() => t.close());
  const ds = () => t.service.db.dataSource;

  it('answers 401 once a key expires, even while the key is cached, and refuses an expiry in the past', async () => {
    const past = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({
        name: 'late',
        role: 'auditor',
        organization: 'customs-authority',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ path: 'body.expiresAt', message: 'must be in the future' }]);

    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const created = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: 'contractor', role: 'auditor', organization: 'customs-authority', expiresAt });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.expiresAt)).toBe(Date.parse(expiresAt));
    expect((await t.http.get('/v1/audit/verify').set(...bearer(created.body.secret))).status).toBe(200);
    const refused = await eventually(
      async () => {
        const res = await t.http.get('/v1/audit/verify').set(...bearer(created.body.secret));
        return res.status === 401 ? res : undefined;
      },
      15000,
      200,
    );
    expect(refused.body.code).toBe('unauthorized');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it('records lastUsedAt again once the interval has passed', async () => {
    const secret = await t.key('auditor', 'customs-authority');
    const lastUsed = async () =>
      (await ds().query(`SELECT last_used_at FROM api_keys WHERE secret_hash = $1`, [hashSecret(secret)]))[0]
        .last_used_at as Date | null;
    await t.http
      .get('/v1/audit/verify')
      .set(...bearer(secret))
      .expect(200);
    const first = await eventually(lastUsed);
    // The interval is 1.2 s here (5 minutes by default): a later request records the use again.
    const later = await eventually(
      async () => {
        await t.http
          .get('/v1/audit/verify')
          .set(...bearer(secret))
          .expect(200);
        const at = await lastUsed();
        return at && at.getTime() > first.getTime() ? at : undefined;
      },
      15000,
      300,
    );
    expect(later.getTime()).toBeGreaterThan(first.getTime());
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
      const created = await a.http
        .post('/v1/api-keys')
        .set(...bearer(a.adminKey))
        .send({ name: 'cached', role: 'auditor', organization: 'authority' });
      const inB = request(b.app!);
      expect((await inB.get('/v1/audit/verify').set(...bearer(created.body.secret))).status).toBe(200);
      // Now cached in B: revoke through A, and B must refuse it without waiting for the cache to expire.
      expect((await a.http.delete(`/v1/api-keys/${created.body.id}`).set(...bearer(a.adminKey))).status).toBe(200);
      const started = Date.now();
      await eventually(
        async () => (await inB.get('/v1/audit/verify').set(...bearer(created.body.secret))).status === 401,
        5000,
        20,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
