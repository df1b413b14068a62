import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startEmbeddedProcess as startProcess } from '../embedded/support/embedded-process';

const ADMIN = 'embedded-admin-key-0123456789abcdef';
const start = (dataDir: string) => startProcess(dataDir, ADMIN);
const stop = (r: { stop(): Promise<number | null> }) => r.stop();

describe('zero-setup start (embedded PostgreSQL, in-process jobs)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dus-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /healthz within 30 s, keeps data across a graceful restart, and seeds the goods list and the UN list', async () => {
    const started = Date.now();
    const first = await start(dataDir);
    expect((await request(first.url).get('/healthz')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(first.output()).toContain('BOOTSTRAP_ADMIN_KEY');

    const created = await request(first.url)
      .post('/v1/api-keys')
      .set('Authorization', `Bearer ${ADMIN}`)
      .send({ name: 'survivor', role: 'reviewer', organization: 'authority', person: 'survivor@authority.example' });
    if (created.status !== 201)
      throw new Error(`create key answered ${created.status}: ${JSON.stringify(created.body)}\n${first.output()}`);
    const goods = await request(first.url).get('/v1/goods/8542.31.000.0').set('Authorization', `Bearer ${ADMIN}`);
    expect(goods.body.entries).toEqual([
      expect.objectContaining({ listId: 'chpl', prefix: '854231', severity: 'high' }),
    ]);
    // The UN list is seeded too, so the first party screening finds something.
    const lists = await request(first.url).get('/v1/lists').set('Authorization', `Bearer ${ADMIN}`);
    expect(lists.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'un',
          kind: 'entities',
          activeVersion: expect.objectContaining({ status: 'active', entryCount: 1003, source: 'seed' }),
        }),
      ]),
    );
    const screened = await request(first.url)
      .post('/v1/screen/parties')
      .set('Authorization', `Bearer ${ADMIN}`)
      .send({ parties: [{ name: 'Korea Mining Development Trading Corp' }] });
    expect(screened.body.results[0].matches[0]).toMatchObject({ listId: 'un', entryId: 'KPe.001' });
    expect(await stop(first)).toBe(0);

    const second = await start(dataDir);
    try {
      const keys = await request(second.url).get('/v1/api-keys').set('Authorization', `Bearer ${ADMIN}`);
      expect(keys.body.items.map((k: { name: string }) => k.name)).toContain('survivor');
      const survivor = await request(second.url)
        .get('/v1/api-keys')
        .set('Authorization', `Bearer ${created.body.secret}`);
      expect(survivor.status).toBe(403); // the key still authenticates (a reviewer may not list keys)
      const verify = await request(second.url).get('/v1/audit/verify').set('Authorization', `Bearer ${ADMIN}`);
      expect(verify.body).toMatchObject({ ok: true });
      expect(verify.body.checked).toBeGreaterThan(3);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 90_000);
});
