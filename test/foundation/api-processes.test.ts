import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { declaration } from '../support/factories';
import { createTestDatabase, eventually } from '../support/test-service';

const ROOT = join(__dirname, '..', '..');

/** One request on a connection of its own (no keep-alive), so node:cluster hands each to the next worker in turn. */
function call(
  url: string,
  method: string,
  path: string,
  key?: string,
  body?: unknown,
): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      `${url}${path}`,
      {
        method,
        agent: false,
        headers: {
          Connection: 'close',
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
          ...(data
            ? {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(data),
                'Idempotency-Key': randomUUID(),
              }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode!, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('API_PROCESSES: the API under node:cluster', () => {
  it('starts N workers on one port, each follows a list activation, and SIGTERM to the primary stops them all', async () => {
    const db = await createTestDatabase();
    const adminKey = `cluster-admin-${randomBytes(16).toString('hex')}`;
    // No REDIS_URL: jobs (the list import) run in the API processes from the outbox. LIST_REFRESH_MS stays at its
    // default, so only the list-generation NOTIFY makes the worker that did not activate the version follow at once.
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: db.url,
        BOOTSTRAP_ADMIN_KEY: adminKey,
        LOG_LEVEL: 'warn',
        PORT: '0',
        HOST: '127.0.0.1',
        LIST_SOURCES: 'off',
        API_PROCESSES: '2',
        DB_POOL_SIZE: '4',
      },
    });
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 90 s:\n${out}`)), 90_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1].replace('localhost', '127.0.0.1'));
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`exited ${code}:\n${out}`));
        });
      });
      // The banner is printed once, by the primary, after both workers listen.
      expect(out.match(/listening on/g)).toHaveLength(1);
      expect(out).toMatch(/2 API processes/);
      const workers = childrenOf(child.pid!);
      expect(workers).toHaveLength(2);

      // Two processes answer: each counts only the /metrics scrapes it served itself, so alternating workers report
      // at most half of the earlier scrapes (a single process would report 0, 1, 2, ... 7).
      const scraped: number[] = [];
      for (let i = 0; i < 8; i += 1) {
        const m = await call(url, 'GET', '/metrics');
        expect(m.status).toBe(200);
        const line = /^http_requests_total\{method="GET",route="\/metrics",status="200"\} (\d+)$/m.exec(m.text);
        scraped.push(line ? Number(line[1]) : 0);
      }
      expect(Math.max(...scraped)).toBeLessThan(7);

      const created = await call(url, 'POST', '/v1/api-keys', adminKey, {
        name: 'broker',
        role: 'broker',
        organization: 'acme',
      });
      expect(created.status).toBe(201);
      const broker = created.body.secret as string;

      const submitParty = () =>
        call(
          url,
          'POST',
          '/v1/declarations',
          broker,
          declaration({ consignee: { name: 'Zhetysu Steppe Logistics', country: 'KZ' } }),
        );
      // Before the list exists, each worker screens the party (and keeps the answer for these lists: MATCH_CACHE_QUERIES).
      for (let i = 0; i < 4; i += 1) {
        const res = await submitParty();
        expect(res.status).toBe(201);
        expect(res.body.screening.listVersions.watch).toBeUndefined();
        expect(res.body.screening.hits.filter((h: { kind: string }) => h.kind === 'party')).toEqual([]);
      }

      // Activate a list through one worker.
      const form = new FormData();
      form.set('format', 'entities-csv');
      form.set('kind', 'entities');
      form.set('file', new Blob([Buffer.from('id,name,countries\nW-1,"Zhetysu Steppe Logistics",KZ\n')]), 'watch.csv');
      const accepted = await fetch(`${url}/v1/lists/watch/versions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminKey}`, Connection: 'close' },
        body: form,
      });
      expect(accepted.status).toBe(202);
      const { versionId } = (await accepted.json()) as { versionId: string };
      await eventually(async () => {
        const v = await call(url, 'GET', `/v1/lists/watch/versions/${versionId}`, adminKey);
        if (v.body?.status === 'failed') throw new Error(v.body.error);
        return v.body?.status === 'active';
      }, 60_000);

      // Every worker, in turn, holds the version and screens against it (round-robin: consecutive connections alternate):
      // the same party, asked again, gets the new lists' answer, not the one it got before.
      for (let i = 0; i < 6; i += 1) {
        const ready = await call(url, 'GET', '/readyz');
        expect(ready.status).toBe(200);
        expect(ready.body.lists.watch).toBe(versionId);
      }
      for (let i = 0; i < 6; i += 1) {
        const res = await submitParty();
        expect(res.status).toBe(201);
        expect(res.body.screening.listVersions.watch).toBe(versionId);
        expect(res.body.screening.hits).toEqual(
          expect.arrayContaining([expect.objectContaining({ kind: 'party', listId: 'watch', entryId: 'W-1' })]),
        );
      }

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`primary exit code ${code}:\n${out}`);
      for (const pid of workers) await eventually(async () => !alive(pid), 10_000);
      expect(out).not.toMatch(/grace period over|died/);
    } finally {
      if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
      await db.drop();
    }
  }, 180_000);

  it('refuses API_PROCESSES > 1 without DATABASE_URL (the embedded database belongs to one process)', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, API_PROCESSES: '2', PORT: '0', LIST_SOURCES: 'off' },
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err).toMatch(/API_PROCESSES: more than one API process needs DATABASE_URL/);
  });
});
