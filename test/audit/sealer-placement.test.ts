import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { declaration } from '../support/factories';
import { serviceEnv, spawnApi, spawnWorker } from '../support/processes';
import { bearer, createTestDatabase, eventually } from '../support/test-service';

/**
 * Production shape (issue 15): the API (`npm start`) and a worker (`npm run worker`) as separate processes on the real
 * PostgreSQL and Redis. The worker seals the audit chain; the API's event loop serves requests only, and its
 * verification seals whatever is pending first.
 */
describe('where the audit chain is sealed', () => {
  it('an API process beside workers leaves sealing to them; its verification, and a worker, seal what is pending', async () => {
    const db = await createTestDatabase();
    const { env, adminKey } = serviceEnv(db.url, {
      LIST_SOURCES: 'off',
      DB_POOL_SIZE: '4',
      AUDIT_SEAL_INTERVAL_MS: '100',
    });
    const stats = new Client({ connectionString: db.url });
    await stats.connect();
    const api = await spawnApi(env);
    let worker: ReturnType<typeof spawnWorker> | undefined;
    const unsealed = async () =>
      Number((await stats.query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL`)).rows[0].n);
    try {
      const http = request(api.url);
      const key = async (role: string, organization: string) => {
        const res = await http
          .post('/v1/api-keys')
          .set(...bearer(adminKey))
          .send({ name: `${role} key`, role, organization });
        expect(res.status).toBe(201);
        return res.body.secret as string;
      };
      const broker = await key('broker', 'acme-brokers');
      const auditor = await key('auditor', 'authority');
      const submit = () =>
        http
          .post('/v1/declarations')
          .set(...bearer(broker))
          .set('Idempotency-Key', randomBytes(8).toString('hex'))
          .send(declaration());

      expect((await submit()).status).toBe(201);
      // Ten sealing intervals: nothing in the API seals in the background.
      await new Promise((r) => setTimeout(r, 1000));
      const pending = await unsealed();
      expect(pending).toBeGreaterThanOrEqual(3);

      const verified = await http.get('/v1/audit/verify').set(...bearer(auditor));
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ ok: true, unsealed: 0 });
      expect(verified.body.headSeq).toBeGreaterThanOrEqual(pending);
      expect(await unsealed()).toBe(0);

      expect((await submit()).status).toBe(201);
      await new Promise((r) => setTimeout(r, 1000));
      // At least the declaration's own events (created, screened; a case when one opens).
      expect(await unsealed()).toBeGreaterThanOrEqual(2);
      worker = spawnWorker(env);
      await eventually(async () => (await unsealed()) === 0, 30_000);
    } finally {
      await Promise.all([api.kill(), worker?.kill()]);
      await stats.end();
      await db.drop();
    }
  }, 120_000);
});
