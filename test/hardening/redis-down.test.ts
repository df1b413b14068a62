import { declaration, submit } from '../support/factories';
import { OwnRedis } from '../support/servers';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

describe('Redis down (a private redis-server, stopped by its pid)', () => {
  let redis: OwnRedis;
  let t: TestService;
  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestService({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: 6 });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('keeps the API ready and submitting, and the rate limit counting in the process until Redis returns', async () => {
    const broker = await t.key('broker');
    await redis.stop();
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'down' } });

    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await submit(t.http, broker, declaration())).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429]);

    await redis.start();
    await eventually(async () => (await t.http.get('/readyz')).body.checks?.redis === 'ok', 20_000);
    // Back on the shared counter (a fresh window in the restarted, empty Redis).
    await eventually(async () => (await t.http.get('/v1/declarations').set(...bearer(broker))).status === 200, 20_000);
  }, 60_000);
});
