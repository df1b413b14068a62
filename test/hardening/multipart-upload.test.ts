import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { startApiProcess, type ApiProcess } from '../support/api-process';
import { createTestDatabase } from '../support/test-service';

const ADMIN = 'multipart-admin-key-0123456789abcdef';
const BOUNDARY = 'cut-here-7d9a';
const HEAD = [
  `--${BOUNDARY}`,
  'Content-Disposition: form-data; name="format"',
  '',
  'entities-csv',
  `--${BOUNDARY}`,
  'Content-Disposition: form-data; name="kind"',
  '',
  'entities',
  `--${BOUNDARY}`,
  'Content-Disposition: form-data; name="file"; filename="list.csv"',
  'Content-Type: text/csv',
  '',
  'id,name,country\nE1,ACME TRADING LLC,RU\nE2,GLOBAL PARTS',
].join('\r\n');

/** Sends a chunked multipart body that stops mid-file (no closing boundary) and ends the request properly. */
function sendTruncated(url: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/v1/lists/cut-list/versions`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }),
        );
      },
    );
    req.on('error', reject);
    req.write(HEAD);
    req.end();
  });
}

/** Promises 10 kB in Content-Length, sends a few hundred bytes, then closes the socket: the server sees an abort. */
function sendAndHangUp(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        [
          'POST /v1/lists/cut-list/versions HTTP/1.1',
          'Host: 127.0.0.1',
          `Authorization: Bearer ${ADMIN}`,
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Length: 10000',
          '',
          HEAD,
        ].join('\r\n'),
      );
      setTimeout(() => socket.destroy(), 200);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

describe('a broken multipart upload', () => {
  let api: ApiProcess;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApiProcess({ DATABASE_URL: db.url, BOOTSTRAP_ADMIN_KEY: ADMIN });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  it('is a 400 problem and the API process keeps serving', async () => {
    const cut = await sendTruncated(api.url);
    expect(cut.status).toBe(400);
    expect(cut.contentType).toContain('application/problem+json');
    expect(JSON.parse(cut.body)).toMatchObject({ status: 400, code: 'bad_multipart' });

    for (let i = 0; i < 3; i += 1) await sendAndHangUp(api.port);
    expect((await sendTruncated(api.url)).status).toBe(400);

    expect(api.child.exitCode).toBeNull();
    expect((await request(api.url).get('/healthz')).status).toBe(200);
    const whole = await request(api.url)
      .post('/v1/lists/cut-list/versions')
      .set('Authorization', `Bearer ${ADMIN}`)
      .field('format', 'entities-csv')
      .field('kind', 'entities')
      .attach('file', Buffer.from('id,name,country\nE1,ACME TRADING LLC,RU\n'), 'list.csv');
    expect(whole.status).toBe(202);
    expect(api.output()).not.toMatch(/uncaught|Unexpected end of form.*\n.*at /i);
  }, 60_000);
});
