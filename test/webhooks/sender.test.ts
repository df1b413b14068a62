import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook, type SendInput } from '../../src/webhooks/sender';
import { Receiver } from './receiver';

/** The HTTP side of a delivery against local servers: no database needed. */
describe('sendWebhook', () => {
  let receiver: Receiver;
  let redirector: Server;
  beforeAll(async () => {
    receiver = await Receiver.start();
    redirector = createServer((_req, res) => res.writeHead(302, { Location: receiver.url('/redirected') }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await receiver.close();
    redirector.closeAllConnections();
    await new Promise((r) => redirector.close(r));
  });

  const input = (url: string, overrides: Partial<SendInput> = {}): SendInput => ({
    url,
    eventId: 'evt-1',
    body: '{"id":"evt-1"}',
    secret: 'whsec_x',
    allowPrivate: true,
    timeoutMs: 2000,
    ...overrides,
  });

  it('counts 2xx as delivered and anything else as a failed attempt with the status', async () => {
    expect(await sendWebhook(input(receiver.url('/ok')))).toEqual({ ok: true, statusCode: 200, error: null });
    receiver.answers = [410];
    try {
      expect(await sendWebhook(input(receiver.url('/gone')))).toEqual({
        ok: false,
        statusCode: 410,
        error: 'HTTP 410',
      });
    } finally {
      receiver.answers = [200];
    }
  });

  it('does not follow redirects', async () => {
    const port = (redirector.address() as AddressInfo).port;
    expect(await sendWebhook(input(`http://127.0.0.1:${port}/hook`))).toEqual({
      ok: false,
      statusCode: 302,
      error: 'HTTP 302',
    });
    expect(receiver.to('/redirected')).toHaveLength(0);
  });

  it('gives up after the timeout', async () => {
    receiver.delayMs = 5000;
    try {
      const started = Date.now();
      const result = await sendWebhook(input(receiver.url('/slow'), { timeoutMs: 300 }));
      expect(result).toEqual({ ok: false, statusCode: null, error: 'timed out after 300 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      receiver.delayMs = 0;
      receiver.dropHeld();
    }
  });

  it('reports a network error as a failed attempt', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const result = await sendWebhook(input(`http://127.0.0.1:${port}/`));
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('refuses non-public addresses at delivery time unless allowed, literal or resolved (DNS rebinding)', async () => {
    const before = receiver.requests.length;
    const literal = await sendWebhook(input(receiver.url('/private'), { allowPrivate: false }));
    expect(literal).toMatchObject({
      ok: false,
      statusCode: null,
      error: expect.stringMatching(/^refused: .*loopback/),
    });
    // A name that was public at registration but resolves to loopback now.
    const port = new URL(receiver.url()).port;
    const rebound = await sendWebhook(
      input(`http://hooks.example.com:${port}/private`, {
        allowPrivate: false,
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
    );
    expect(rebound).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/loopback/) });
    expect(receiver.requests.length).toBe(before);
  });
});
