import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { declaration } from '../support/factories';
import { startEmbeddedProcess, type EmbeddedProcess } from './support/embedded-process';

const ADMIN = 'embedded-search-admin-key-0123456789';

/**
 * Search in the zero-setup default (embedded PGlite): pg_trgm has to be loaded into PGlite for the migration and the
 * fuzzy party filter to work at all, so this starts the built service as `npm start` does and searches across scripts.
 */
describe('search in embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dus-embedded-search-'));
  let svc: EmbeddedProcess;

  beforeAll(async () => {
    svc = await startEmbeddedProcess(dataDir, ADMIN);
  }, 90_000);
  afterAll(async () => {
    if (svc) expect(await svc.stop()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${svc.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  it('finds a Cyrillic party by its Latin spelling, and an identifier', async () => {
    const key = await call('POST', '/v1/api-keys', ADMIN, {
      name: 'broker',
      role: 'broker',
      organization: 'acme-brokers',
    });
    expect(key.status).toBe(201);
    const broker = key.body.secret as string;
    const stored = await call(
      'POST',
      '/v1/declarations',
      broker,
      declaration({
        consignee: { name: 'ВОСТОК ООО', country: 'KZ', identifiers: [{ type: 'BIN', value: '123456789012' }] },
      }),
    );
    expect(stored.status).toBe(201);
    await call('POST', '/v1/declarations', broker, declaration());

    const byParty = await call('GET', '/v1/declarations?party=Vostok', broker);
    expect(byParty.status).toBe(200);
    expect(byParty.body.items.map((d: { id: string }) => d.id)).toEqual([stored.body.id]);
    const byId = await call('GET', '/v1/declarations?identifier=BIN:1234%2056789012', broker);
    expect(byId.body.items.map((d: { id: string }) => d.id)).toEqual([stored.body.id]);
  });
});
