import { recordAudit, SYSTEM_ACTOR } from '../../src/audit/audit.service';
import { declaration, submit } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

/**
 * In the production shape (API processes beside workers, REDIS_URL set) the workers seal the audit chain and the API's
 * event loop serves requests only (issue 15); an API process that runs jobs itself still seals. Exports and
 * verifications seal what is pending first, wherever they run.
 */
describe('where the audit chain is sealed', () => {
  let api: TestService;
  let worker: TestService | undefined;
  beforeAll(async () => {
    api = await startTestService({ RUN_JOBS_IN_API: 'false' });
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });
  const unsealed = async () =>
    Number(
      (await api.service.db.dataSource.query(`SELECT count(*) AS n FROM audit_events WHERE seq IS NULL`))[0]
        .n as string,
    );

  it('an API process beside workers leaves sealing to them; its verification seals what is pending', async () => {
    const broker = await api.key('broker');
    const auditor = await api.key('auditor', 'authority');
    expect((await submit(api.http, broker, declaration())).status).toBe(201);
    // Ten sealing intervals (AUDIT_SEAL_INTERVAL_MS is 100 in tests): nothing in the API seals in the background.
    await new Promise((r) => setTimeout(r, 1000));
    const pending = await unsealed();
    expect(pending).toBeGreaterThanOrEqual(3);

    const verified = await api.http.get('/v1/audit/verify').set(...bearer(auditor));
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, unsealed: 0 });
    expect(verified.body.headSeq).toBeGreaterThanOrEqual(pending);
    expect(await unsealed()).toBe(0);
  });

  it('a worker on the same database seals in the background', async () => {
    await api.service.db.dataSource.transaction((m) =>
      recordAudit(
        m,
        SYSTEM_ACTOR,
        Array.from({ length: 5 }, (_, i) => ({ action: 'test.event', subjectType: 'test', subjectId: `e${i}` })),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await unsealed()).toBe(5);
    worker = await startTestService(
      { RUN_JOBS_IN_API: 'false' },
      {
        role: 'worker',
        database: { url: api.databaseUrl, drop: async () => undefined },
      },
    );
    await eventually(async () => (await unsealed()) === 0, 10_000);
  });
});
