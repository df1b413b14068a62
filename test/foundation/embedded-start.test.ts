import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';

const ROOT = join(__dirname, '..', '..');
const ADMIN = 'embedded-admin-key-0123456789abcdef';

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Starts the built service exactly as `npm start` does, with no DATABASE_URL and no REDIS_URL. */
async function start(dataDir: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_KEY: ADMIN, LOG_LEVEL: 'warn', LIST_SOURCES: 'off' };
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${out}`)); });
  });
  return { child, url, output: () => out };
}

async function stop(r: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => r.child.once('exit', (code) => resolve(code)));
  r.child.kill('SIGTERM');
  return exited;
}

describe('zero-setup start (embedded PostgreSQL, in-process jobs)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dus-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /healthz within 30 s, keeps data across a graceful restart, and seeds the goods list', async () => {
    const started = Date.now();
    const first = await start(dataDir);
    expect((await request(first.url).get('/healthz')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(first.output()).toContain('BOOTSTRAP_ADMIN_KEY');

    const created = await request(first.url).post('/v1/api-keys').set('Authorization', `Bearer ${ADMIN}`).send({ name: 'survivor', role: 'reviewer', organization: 'authority' });
    if (created.status !== 201) throw new Error(`create key answered ${created.status}: ${JSON.stringify(created.body)}\n${first.output()}`);
    const goods = await request(first.url).get('/v1/goods/8542.31.000.0').set('Authorization', `Bearer ${ADMIN}`);
    expect(goods.body.entries).toEqual([expect.objectContaining({ listId: 'chpl', prefix: '854231', severity: 'high' })]);
    expect(await stop(first)).toBe(0);

    const second = await start(dataDir);
    try {
      const keys = await request(second.url).get('/v1/api-keys').set('Authorization', `Bearer ${ADMIN}`);
      expect(keys.body.items.map((k: { name: string }) => k.name)).toContain('survivor');
      const survivor = await request(second.url).get('/v1/api-keys').set('Authorization', `Bearer ${created.body.secret}`);
      expect(survivor.status).toBe(403); // the key still authenticates (a reviewer may not list keys)
      const verify = await request(second.url).get('/v1/audit/verify').set('Authorization', `Bearer ${ADMIN}`);
      expect(verify.body).toMatchObject({ ok: true });
      expect(verify.body.checked).toBeGreaterThan(3);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 90_000);
});
