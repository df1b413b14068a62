import { declaration, submit } from '../support/factories';
import { OwnRedis } from '../support/servers';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { Receiver } from '../webhooks/receiver';

describe('submissions while Redis is down', () => {
  let redis: OwnRedis;
  let receiver: Receiver;
  let t: TestService;
  beforeAll(async () => {
    redis = await OwnRedis.start();
    receiver = await Receiver.start();
    t = await startTestService({ REDIS_URL: redis.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
    await receiver.close();
  });

  it('answers all 200 declarations 201 (Redis is not on the synchronous path) and runs each of their jobs once when it returns', async () => {
    const broker = await t.key('broker', 'outage-brokers');
    const hook = await t.http
      .post('/v1/webhooks')
      .set(...bearer(broker))
      .send({ url: receiver.url('/screened'), events: ['declaration.screened'] });
    expect(hook.status).toBe(201);
    await redis.stop();

    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = next++; i < 200; i = next++) {
          const res = await submit(t.http, broker, declaration({ reference: `OUT-${i}` }));
          expect(res.status).toBe(201);
          ids.push(res.body.id);
        }
      }),
    );
    const ds = t.service.db.dataSource;
    const [{ pending }] = await ds.query(
      `SELECT count(*)::int AS pending FROM outbox WHERE job_name = 'webhooks.dispatch' AND status = 'pending'`,
    );
    expect(pending).toBe(200);

    await redis.start();
    await eventually(
      async () =>
        new Set(
          receiver.requests.filter((r) => r.path === '/screened').map((r) => JSON.parse(r.body).data.declarationId),
        ).size === 200,
      60000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const received = receiver.requests
      .filter((r) => r.path === '/screened')
      .map((r) => JSON.parse(r.body).data.declarationId);
    expect(received).toHaveLength(200);
    expect(new Set(received)).toEqual(new Set(ids));
    const [{ relayed }] = await ds.query(
      `SELECT count(*)::int AS relayed FROM outbox WHERE job_name = 'webhooks.dispatch' AND status = 'relayed'`,
    );
    expect(relayed).toBe(200);
  }, 120000);
});
