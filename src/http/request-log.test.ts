import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { REDACT_PATHS } from '../observability/logger';
import { requestLogging } from './request-log';

/** An app behind requestLogging whose logger writes its lines into `lines`. */
function appAt(level: string) {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      cb();
    },
  });
  const logger = pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  const app = express();
  app.use(requestLogging(logger, (url) => url === '/healthz'));
  app.get('/ok', (req, res) => {
    res.json({ id: req.id });
  });
  app.get('/healthz', (_req, res) => {
    res.status(500).json({});
  });
  app.get('/boom', (_req, res) => {
    res.status(503).json({});
  });
  return { app, lines };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('requestLogging', () => {
  it('keeps a well-formed X-Request-Id, makes one otherwise, and echoes it', async () => {
    const { app } = appAt('info');
    const kept = await request(app).get('/ok').set('X-Request-Id', 'req-1.a:b');
    expect(kept.headers['x-request-id']).toBe('req-1.a:b');
    expect(kept.body.id).toBe('req-1.a:b');
    const made = await request(app).get('/ok').set('X-Request-Id', 'not ok!');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.body.id).toBe(made.headers['x-request-id']);
  });

  it('logs a 4xx at info with the credentials redacted, and a success not at all at info', async () => {
    const { app, lines } = appAt('info');
    await request(app).get('/ok').set('Authorization', 'Bearer s3cret');
    await request(app).get('/missing').set('Authorization', 'Bearer s3cret').set('X-Request-Id', 'r404');
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 'r404',
      req: { method: 'GET', url: '/missing', headers: { authorization: '[redacted]' } },
      res: { statusCode: 404 },
    });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('logs a 5xx at error, a success at debug when enabled, and never an ignored path', async () => {
    const { app, lines } = appAt('debug');
    await request(app).get('/ok');
    await request(app).get('/boom');
    await request(app).get('/healthz');
    await settle();
    expect(lines.map((l) => [l.level, l.req.url, l.res.statusCode])).toEqual([
      [20, '/ok', 200],
      [50, '/boom', 503],
    ]);
  });
});
