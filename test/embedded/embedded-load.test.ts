import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { declaration, OFAC_2019 } from '../support/factories';
import { startEmbeddedProcess, type EmbeddedProcess } from './support/embedded-process';

const ADMIN = 'embedded-load-admin-key-0123456789';
const SUBMITTERS = 16;
const LOAD_MS = 20_000;

async function call(
  base: string,
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The zero-setup default as a newcomer runs it (`npm start`, no database server, jobs in-process), under the load that
 * used to break it: 16 brokers submitting for 20 s while the full 2019 SDN imports and its delta re-screen runs, then
 * a batch of 1,000. Every connection of the pool shares PGlite's one session (see src/db/pglite-wire-queue.ts).
 */
describe('embedded default under concurrent load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dus-embedded-load-'));
  let svc: EmbeddedProcess;

  beforeAll(async () => {
    // The SDN's activation makes every submission wait for this process to load it (LIST_WAIT_MS, then 503): on a busy
    // two-core machine that load (names, addresses, ownership links) can pass the 5 s default. What this test holds is
    // that the shared PGlite session loses nothing under load, so it gives the load room.
    svc = await startEmbeddedProcess(dataDir, ADMIN, { RATE_LIMIT_PER_MINUTE: '1000000', LIST_WAIT_MS: '30000' });
  }, 90_000);

  afterAll(async () => {
    if (svc) expect(await svc.stop()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers no 5xx, loses no 201, completes the batch and keeps the audit chain valid', async () => {
    const brokers: { key: string; organization: string }[] = [];
    for (const organization of ['acme-brokers', 'steppe-logistics']) {
      const created = await call(svc.url, 'POST', '/v1/api-keys', ADMIN, {
        name: `${organization} integration`,
        role: 'broker',
        organization,
      });
      expect(created.status).toBe(201);
      brokers.push({ key: created.body.secret, organization });
    }

    let upload = request(svc.url)
      .post('/v1/lists/ofac-sdn/versions')
      .set('Authorization', `Bearer ${ADMIN}`)
      .field('format', 'ofac-sdn-csv');
    for (const [part, path] of Object.entries(OFAC_2019))
      upload = upload.attach(part, readFileSync(path), `${part}.csv`);
    const uploaded = await upload;
    expect(uploaded.status).toBe(202);
    const versionPath = `/v1/lists/ofac-sdn/versions/${uploaded.body.versionId}`;

    const statuses = new Map<number, number>();
    const accepted: { id: string; reference: string; key: string }[] = [];
    const problems: string[] = [];
    const stopAt = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: SUBMITTERS }, async (_, n) => {
        const broker = brokers[n % brokers.length];
        for (let i = 0; Date.now() < stopAt; i += 1) {
          // Every fifth declaration names a party of the SDN being imported, so the re-screen has work to do.
          const body = declaration(i % 5 === 0 ? { consignee: { name: 'Rosoboronexport', country: 'RU' } } : {});
          const res = await call(svc.url, 'POST', '/v1/declarations', broker.key, body, {
            'Idempotency-Key': randomUUID(),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 201) accepted.push({ id: res.body.id, reference: body.reference, key: broker.key });
          else problems.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }),
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()]).toEqual([201]);
    expect(accepted.length).toBeGreaterThan(100);

    const version = await until(
      'SDN import and its re-screen',
      async () => {
        const v = await call(svc.url, 'GET', versionPath, ADMIN);
        if (v.body.status === 'failed') throw new Error(`import failed: ${v.body.error}`);
        return v.body.status === 'active' && v.body.rescreen?.status === 'completed' ? v.body : undefined;
      },
      180_000,
    );
    expect(version.entryCount).toBe(7379);

    const items = Array.from({ length: 1000 }, (_, i) => declaration({ reference: `BATCH-${i}` }));
    const batch = await call(svc.url, 'POST', '/v1/declarations/batch', brokers[0].key, { declarations: items });
    expect(batch.status).toBe(202);
    const done = await until(
      'batch of 1,000',
      async () => {
        const b = await call(svc.url, 'GET', `/v1/batches/${batch.body.batchId}`, brokers[0].key);
        if (b.status !== 200) throw new Error(`batch read answered ${b.status}`);
        return b.body.status === 'completed' || b.body.status === 'failed' ? b.body : undefined;
      },
      300_000,
    );
    expect(done).toMatchObject({ status: 'completed', total: 1000, processed: 1000 });
    expect(done.items.filter((it: { declarationId?: string }) => !it.declarationId)).toEqual([]);

    const unreadable: string[] = [];
    for (const a of accepted) {
      const read = await call(svc.url, 'GET', `/v1/declarations/${a.id}`, a.key);
      if (read.status !== 200 || read.body.reference !== a.reference)
        unreadable.push(`${a.id}: ${read.status} ${read.body?.reference}`);
    }
    expect(unreadable).toEqual([]);

    const verify = await until(
      'audit sealing',
      async () => {
        const v = await call(svc.url, 'GET', '/v1/audit/verify', ADMIN);
        return v.status === 200 ? v.body : undefined;
      },
      60_000,
    );
    expect(verify).toMatchObject({ ok: true });
    expect(svc.output()).not.toMatch(/prepared statement|portal "" does not exist/);
  }, 600_000);
});
