import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { declaration, OFAC_2019 } from '../support/factories';
import { serviceEnv, spawnApi, spawnWorker } from '../support/processes';
import { bearer, createTestDatabase, eventually } from '../support/test-service';

const ROSOBORONEXPORT = 'АО Рособоронэкспорт';

interface Answer {
  sentAt: number;
  status: number;
  id?: string;
  partyHit: boolean;
  sdnVersion?: string;
}

/**
 * Production shape: two API processes and one worker on one database, list refresh polling at its default (2 s), so
 * only the generation check and NOTIFY can make process B screen with a version the moment A reports it active.
 */
describe('read-your-writes list activation across processes', () => {
  it('every submission to API B answered after API A reads the SDN version active carries the party hit; the re-screen leaves none unflagged', async () => {
    const db = await createTestDatabase();
    const { env, adminKey } = serviceEnv(db.url, { DB_POOL_SIZE: '5', RESCREEN_CATCHUP_DELAY_MS: '2000' });
    const worker = spawnWorker(env);
    const processes = await Promise.all([spawnApi(env), spawnApi(env)]);
    const [a, b] = processes.map((p) => request(p.url));
    try {
      // Fresh start: each API is ready only once it holds the seeded CHPL, and says so.
      for (const api of [a, b]) {
        const ready = await eventually(async () => {
          const r = await api.get('/readyz');
          return r.status === 200 ? r : undefined;
        }, 30_000);
        expect(ready.body).toMatchObject({
          status: 'ready',
          checks: { lists: 'ok' },
          lists: { chpl: expect.any(String) },
        });
      }
      const created = await a
        .post('/v1/api-keys')
        .set(...bearer(adminKey))
        .send({ name: 'broker', role: 'broker', organization: 'acme' });
      const broker = created.body.secret as string;

      const answers: Answer[] = [];
      let stop = false;
      const loop = async () => {
        while (!stop) {
          const sentAt = Date.now();
          const res = await b
            .post('/v1/declarations')
            .set(...bearer(broker))
            .set('Idempotency-Key', randomUUID())
            .send(declaration({ consignee: { name: ROSOBORONEXPORT, country: 'RU' } }));
          const hit = res.body.screening?.hits?.find(
            (h: { kind: string; listId?: string }) => h.kind === 'party' && h.listId === 'ofac-sdn',
          );
          answers.push({
            sentAt,
            status: res.status,
            id: res.body.id,
            partyHit: Boolean(hit),
            sdnVersion: res.body.screening?.listVersions?.['ofac-sdn'],
          });
        }
      };
      const loops = Array.from({ length: 3 }, loop);

      let upload = a
        .post('/v1/lists/ofac-sdn/versions')
        .set(...bearer(adminKey))
        .field('format', 'ofac-sdn-csv');
      for (const [part, path] of Object.entries(OFAC_2019))
        upload = upload.attach(part, readFileSync(path), `${part}.csv`);
      const accepted = await upload;
      expect(accepted.status).toBe(202);
      const versionId = accepted.body.versionId as string;
      // The instant API A answers that the version is active.
      const activeAt = await eventually(
        async () => {
          const v = await a.get(`/v1/lists/ofac-sdn/versions/${versionId}`).set(...bearer(adminKey));
          if (v.body.status === 'failed') throw new Error(v.body.error);
          return v.body.status === 'active' ? Date.now() : undefined;
        },
        120_000,
        10,
      );
      await eventually(
        async () => answers.filter((x) => x.sentAt > activeAt && x.status === 201).length >= 30 || undefined,
        60_000,
      );
      stop = true;
      await Promise.all(loops);

      const after = answers.filter((x) => x.sentAt > activeAt);
      // Waiting for the index is allowed, answering 503 is allowed; screening with the older lists is not.
      expect(after.filter((x) => x.status !== 201 && x.status !== 503)).toEqual([]);
      expect(after.filter((x) => x.status === 201 && (!x.partyHit || x.sdnVersion !== versionId))).toEqual([]);
      expect(answers.filter((x) => x.sentAt < activeAt && x.status === 201).length).toBeGreaterThan(0);

      // The re-screen (delta pass plus catch-up) flags every declaration screened before B held the version.
      let rescreen: unknown;
      await eventually(async () => {
        const v = await a.get(`/v1/lists/ofac-sdn/versions/${versionId}`).set(...bearer(adminKey));
        rescreen = v.body.rescreen;
        return v.body.rescreen?.status === 'completed' || undefined;
      }, 120_000).catch((err) => {
        throw new Error(
          `${err.message}; re-screen ${JSON.stringify(rescreen)}; worker:\n${worker.output().slice(-3000)}`,
        );
      });
      const unflagged: string[] = [];
      for (const x of answers.filter((y) => y.status === 201)) {
        const d = await b.get(`/v1/declarations/${x.id}`).set(...bearer(broker));
        const hit = d.body.screening.hits.some(
          (h: { kind: string; listId?: string }) => h.kind === 'party' && h.listId === 'ofac-sdn',
        );
        if (!hit || d.body.status !== 'under_review')
          unflagged.push(`${x.id} ${d.body.status} ${d.body.screening.trigger}`);
      }
      expect(unflagged).toEqual([]);
      const readyB = await b.get('/readyz');
      expect(readyB.body.lists).toMatchObject({ 'ofac-sdn': versionId });
    } finally {
      await Promise.all([...processes.map((p) => p.kill()), worker.kill()]);
      await db.drop();
    }
  }, 300_000);
});
