import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchParts, SourceFetchError } from '../../src/list-sources/fetcher';
import { FileServer } from '../support/file-server';

/** The fetcher alone against local servers: limits and failures become SourceFetchError (the source turns stale). */
describe('list source fetcher', () => {
  let files: FileServer;
  let odd: Server;
  let oddUrl: string;
  const limits = { timeoutMs: 5000, maxBytes: 1000 };

  beforeAll(async () => {
    files = new FileServer();
    await files.start();
    // /slow answers headers and then never finishes the body; /chunked streams 3 x 600 bytes without a length.
    odd = createServer((req, res) => {
      if (req.url === '/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const timer = setInterval(() => {
        res.write('x'.repeat(600));
        if (++n === 3) {
          clearInterval(timer);
          res.end();
        }
      }, 10);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await files.stop();
    odd.closeAllConnections();
    await new Promise((r) => odd.close(r));
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a SourceFetchError');
      },
      (err: unknown) => {
        expect(err).toBeInstanceOf(SourceFetchError);
        return (err as Error).message;
      },
    );

  it('fetches every part, keeps the validators, and sends them back for a 304', async () => {
    const urls = {
      sdn: files.serve('/f/sdn.csv', { body: Buffer.from('1,"A"\n') }),
      alt: files.serve('/f/alt.csv', {
        body: Buffer.from('1,2,"aka","B",-0-\n'),
        etag: false,
        lastModified: 'Mon, 01 Dec 2025 10:00:00 GMT',
      }),
    };
    const first = await fetchParts(urls, {}, limits, true);
    expect(first.map((p) => [p.part, p.notModified])).toEqual([
      ['alt', false],
      ['sdn', false],
    ]);
    const validators = Object.fromEntries(first.map((p) => [p.part, p.validators]));
    expect(validators).toEqual({
      alt: { lastModified: 'Mon, 01 Dec 2025 10:00:00 GMT' },
      sdn: { etag: expect.stringMatching(/^"/) },
    });
    const again = await fetchParts(urls, validators, limits, true);
    expect(again.map((p) => p.notModified)).toEqual([true, true]);
    expect(files.requestsTo('/f/sdn.csv')[1].headers['if-none-match']).toBe(validators.sdn.etag);
    expect(files.requestsTo('/f/alt.csv')[1].headers['if-modified-since']).toBe('Mon, 01 Dec 2025 10:00:00 GMT');
    const unconditional = await fetchParts(urls, validators, limits, false);
    expect(unconditional.map((p) => p.notModified)).toEqual([false, false]);
  });

  it('refuses an answer over the size cap, declared or streamed, across all parts', async () => {
    expect(
      await failure(fetchParts({ file: files.serve('/big', { body: Buffer.alloc(1001, 65) }) }, {}, limits, true)),
    ).toMatch(/larger than LIST_FETCH_MAX_BYTES \(1000 bytes\)/);
    expect(await failure(fetchParts({ file: `${oddUrl}/chunked` }, {}, limits, true))).toMatch(
      /larger than LIST_FETCH_MAX_BYTES/,
    );
    const two = {
      a: files.serve('/a', { body: Buffer.alloc(600, 65) }),
      b: files.serve('/b', { body: Buffer.alloc(600, 66) }),
    };
    expect(await failure(fetchParts(two, {}, limits, true))).toMatch(/^b: .*larger than/);
  });

  it('gives up when the whole fetch outlasts its deadline', async () => {
    const started = Date.now();
    expect(await failure(fetchParts({ file: `${oddUrl}/slow` }, {}, { ...limits, timeoutMs: 300 }, true))).toMatch(
      /no complete answer within 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports HTTP errors, empty answers and refused connections', async () => {
    expect(await failure(fetchParts({ file: files.url('/missing') }, {}, limits, true))).toMatch(
      /^file: HTTP 404 from 127\.0\.0\.1:\d+$/,
    );
    expect(
      await failure(fetchParts({ file: files.serve('/empty', { body: Buffer.alloc(0) }) }, {}, limits, true)),
    ).toMatch(/empty answer/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await failure(fetchParts({ file: `http://127.0.0.1:${port}/x` }, {}, limits, true))).toMatch(
      /^file: fetch failed \(ECONNREFUSED\)$/,
    );
  });
});
