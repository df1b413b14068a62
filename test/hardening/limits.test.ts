import { uploadList } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';

const PUBLIC_URL = 'https://93.184.215.14/hooks/screening';
const METRICS_TOKEN = 'metrics-token-0123456789';

/** Twelve entries under one name: a party named so matches every one of them. */
const LOOKALIKES = [
  'id,name,kind,aliases,countries,programs,identifiers',
  ...Array.from({ length: 12 }, (_, i) => `LL-${i + 1},"Volga Star Trading",organization,,RU,INTERNAL-WATCH,`),
].join('\n');

describe('limits on webhooks, party screening and /metrics; security headers', () => {
  let t: TestService;
  let broker: string;
  beforeAll(async () => {
    t = await startTestService({
      WEBHOOKS_PER_ORGANIZATION: 2,
      SCREEN_BROKER_MAX_MATCHES: 5,
      METRICS_TOKEN,
      METRICS_REFRESH_MS: 60_000,
    });
    broker = await t.key('broker', 'acme-brokers');
  });
  afterAll(() => t?.close());

  it('caps the webhooks of an organisation, also under concurrent registrations', async () => {
    const create = (key: string) =>
      t.http
        .post('/v1/webhooks')
        .set(...bearer(key))
        .send({ url: PUBLIC_URL, events: ['case.decided'] });
    const statuses = (await Promise.all(Array.from({ length: 5 }, () => create(broker)))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409, 409]);
    const refused = await create(broker);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'webhook_limit_reached' });
    expect(refused.body.detail).toContain('2 webhooks');

    const other = await t.key('broker', 'other-brokers');
    expect((await create(other)).status).toBe(201);
    const mine = await t.http.get('/v1/webhooks').set(...bearer(broker));
    expect((await t.http.delete(`/v1/webhooks/${mine.body.items[0].id}`).set(...bearer(broker))).status).toBe(204);
    expect((await create(broker)).status).toBe(201);
  });

  it('holds brokers to a minScore floor and a match cap; staff are not', async () => {
    await uploadList(t.http, t.adminKey, 'lookalikes', 'entities-csv', { file: Buffer.from(LOOKALIKES) }, 'entities');
    const screen = (key: string, minScore?: number) =>
      t.http
        .post('/v1/screen/parties')
        .set(...bearer(key))
        .send({
          parties: [{ name: 'Volga Star Trading', country: 'RU' }],
          ...(minScore === undefined ? {} : { minScore }),
        });

    for (const low of [0, 0.5, 0.69]) {
      const res = await screen(broker, low);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.minScore' })]);
    }
    const brokerAnswer = await screen(broker, 0.7);
    expect(brokerAnswer.status).toBe(200);
    expect(brokerAnswer.body.results[0].matches).toHaveLength(5);
    expect((await screen(broker)).body.results[0].matches).toHaveLength(5);

    const staff = await screen(t.adminKey, 0);
    expect(staff.status).toBe(200);
    // Every lookalike (more than a broker's cap); the seeded UN list may add weak matches of its own at minScore 0.
    expect(staff.body.results[0].matches.filter((m: { listId: string }) => m.listId === 'lookalikes')).toHaveLength(12);
  });

  it('serves /metrics only with the token, and a scrape queries nothing', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-000000000')).status).toBe(401);
    const depth = jest.spyOn(t.service.jobs, 'depth');
    for (let i = 0; i < 20; i += 1) {
      const res = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('http_requests_total');
      expect(res.text).toContain('job_queue_depth');
    }
    // The refresh loop runs once a minute here: twenty scrapes made no queue or database call.
    expect(depth).not.toHaveBeenCalled();
    depth.mockRestore();
  });

  it('sends security headers on every answer, errors included, and keeps the console CSP', async () => {
    const answers = [
      await t.http.get('/healthz'),
      await t.http.get('/v1/declarations').set(...bearer(broker)),
      await t.http.get('/v1/declarations'),
      await t.http.get('/v1/no-such-route').set(...bearer(broker)),
      await t.http.get('/openapi.json'),
    ];
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    expect(answers[1].headers['cache-control']).toBe('no-store');
    const consolePage = await t.http.get('/console/');
    expect(consolePage.headers['content-security-policy']).toContain("script-src 'self'");
    expect(consolePage.headers['x-content-type-options']).toBe('nosniff');
  });
});
