import IORedis from 'ioredis';
import { ClosableRedis } from '../../src/jobs/closable-redis';
import { declaration, submit } from '../support/factories';
import { freePort, OwnRedis } from '../support/servers';
import { startTestService } from '../support/test-service';

/** Resolves to the promise's outcome, or to 'still waiting' after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<'still waiting'>((resolve) => {
      timer = setTimeout(() => resolve('still waiting'), ms);
    }),
  ]);
}

describe('stopping while Redis is down (a private redis-server, stopped by its pid)', () => {
  it('a service that runs jobs stops within seconds when Redis went away after it started', async () => {
    const redis = await OwnRedis.start();
    const t = await startTestService({ REDIS_URL: redis.url });
    try {
      const broker = await t.key('broker');
      expect((await submit(t.http, broker, declaration())).status).toBe(201);
      await redis.stop();
      // Long enough for every connection to have lost Redis and to be waiting for its next reconnection attempt.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await within(t.close(), 10_000)).toBeUndefined();
    } finally {
      await redis.stop();
    }
  }, 30_000);

  it('a service started while Redis is unreachable stops within seconds (its worker never got a connection ready)', async () => {
    const t = await startTestService({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const broker = await t.key('broker');
    expect((await submit(t.http, broker, declaration())).status).toBe(201);
    expect(await within(t.close(), 10_000)).toBeUndefined();
  }, 30_000);

  it('ioredis alone never ends a client parked between reconnection attempts; ClosableRedis does', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    const ended = async (client: IORedis) => {
      client.on('error', () => undefined);
      await new Promise((r) => setTimeout(r, 400));
      expect(client.status).toBe('reconnecting');
      const pending = client.get('k').then(
        () => 'answered',
        (err: Error) => err.message,
      );
      const end = new Promise<'ended'>((resolve) => client.once('end', () => resolve('ended')));
      client.disconnect();
      return { end: await within(end, 1000), pending: await within(pending, 1000), status: client.status };
    };
    // The upstream behaviour this class exists for: if ioredis starts ending such clients, this test says so.
    expect(await ended(new IORedis(url, { maxRetriesPerRequest: null, connectTimeout: 300 }))).toEqual({
      end: 'still waiting',
      pending: 'still waiting',
      status: 'reconnecting',
    });
    expect(await ended(new ClosableRedis(url, { maxRetriesPerRequest: null, connectTimeout: 300 }))).toEqual({
      end: 'ended',
      pending: 'Connection is closed.',
      status: 'end',
    });
    const original = new ClosableRedis(url, { lazyConnect: true });
    const copy = original.duplicate({ lazyConnect: true });
    expect(copy).toBeInstanceOf(ClosableRedis);
    original.disconnect();
    copy.disconnect();
  });
});
