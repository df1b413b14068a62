import { randomBytes } from 'node:crypto';
import { declaration } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';

describe('rate limits shared by two API processes through Redis', () => {
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    const shared = {
      RATE_LIMIT_PER_MINUTE: 10,
      AUTH_FAILURES_PER_MINUTE: 4,
      RATE_LIMIT_PREFIX: `rl-test-${randomBytes(4).toString('hex')}:`,
    };
    a = await startTestService(shared);
    // A second service on the same database, the same Redis and the same rate-limit prefix: another API process.
    b = await startTestService(
      { ...shared, BOOTSTRAP_ADMIN_KEY: a.adminKey },
      { database: { url: a.databaseUrl, drop: async () => undefined } },
    );
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts a key once across both processes and answers 429 with Retry-After and RateLimit headers', async () => {
    const broker = await a.key('broker');
    const remaining: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const res = await (i % 2 ? b : a).http.get('/v1/declarations').set(...bearer(broker));
      expect(res.status).toBe(200);
      remaining.push(res.headers.ratelimit);
    }
    expect(remaining[0]).toMatch(/^"per-key";r=9;t=\d+$/);
    expect(remaining[9]).toMatch(/^"per-key";r=0;t=\d+$/);
    for (const t of [a, b]) {
      const res = await t.http.get('/v1/declarations').set(...bearer(broker));
      expect(res.status).toBe(429);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(res.headers['ratelimit-policy']).toBe('"per-key";q=10;w=60');
    }
    // Another key is not affected.
    const other = await a.key('broker', 'other-brokers');
    expect((await b.http.get('/v1/declarations').set(...bearer(other))).status).toBe(200);
  });

  it('refuses an address flooding bad keys before looking them up, in every process', async () => {
    const lookups = [jest.spyOn(a.service.keys, 'authenticate'), jest.spyOn(b.service.keys, 'authenticate')];
    const bad = (t: TestService) =>
      t.http.get('/v1/declarations').set(...bearer(`bad-key-${randomBytes(8).toString('hex')}`));
    for (const t of [a, a, b, b]) expect((await bad(t)).status).toBe(401);
    const looked = lookups.map((s) => s.mock.calls.length);
    for (const t of [a, b, a, b, a, b]) {
      const res = await bad(t);
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('too_many_auth_failures');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // No key was looked up (no database query) for the refused requests.
    expect(lookups.map((s) => s.mock.calls.length)).toEqual(looked);
    // Without a token at all, the address stays refused too.
    expect((await a.http.get('/v1/declarations')).status).toBe(429);
    lookups.forEach((s) => s.mockRestore());
  });
});

describe('weighted routes (per-process memory counter without Redis)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ REDIS_URL: undefined, RATE_LIMIT_PER_MINUTE: 10 });
  });
  afterAll(() => t?.close());

  it('counts a batch once per declaration', async () => {
    const broker = await t.key('broker');
    const batch = (n: number) =>
      t.http
        .post('/v1/declarations/batch')
        .set(...bearer(broker))
        .send({ declarations: Array.from({ length: n }, () => declaration()) });
    const first = await batch(8);
    expect(first.status).toBe(202);
    expect(first.headers.ratelimit).toMatch(/^"per-key";r=2;/);
    const second = await batch(3);
    expect(second.status).toBe(429);
    expect(second.body.code).toBe('rate_limited');
  });
});
