import { randomUUID } from 'node:crypto';
import { declaration, submit } from '../support/factories';
import { OwnPostgres } from '../support/own-postgres';
import { startTestService, type TestService } from '../support/test-service';

interface Answer {
  status: number;
  retryAfter?: string;
  code?: string;
  at: number;
}

/**
 * PostgreSQL restarting under load: every answer is 201 or 503 with Retry-After (never 500), and submissions succeed
 * again once it is back. The service runs on a throwaway cluster of this test's own; the shared server is not touched.
 */
describe('PostgreSQL restart under load', () => {
  let pg: OwnPostgres;
  let t: TestService;
  beforeAll(async () => {
    pg = await OwnPostgres.create();
    const url = await pg.createDatabase('screening');
    t = await startTestService(
      { DATABASE_URL: url, DB_POOL_SIZE: 8, DB_CONNECT_TIMEOUT_MS: 2000 },
      { database: { url, drop: async () => undefined } },
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await pg?.destroy();
  }, 60_000);

  it('answers only 201 or 503 + Retry-After while the database restarts, then 201 again', async () => {
    const broker = await t.key('broker');
    const answers: Answer[] = [];
    let stopLoad = false;
    const worker = async () => {
      while (!stopLoad) {
        const res = await submit(t.http, broker, declaration(), randomUUID());
        answers.push({
          status: res.status,
          retryAfter: res.headers['retry-after'],
          code: res.body?.code,
          at: Date.now(),
        });
        // A 503 asks the client to wait; under test a short pause keeps the load up without spinning.
        if (res.status === 503) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);
    try {
      await waitFor(
        () => answers.filter((a) => a.status === 201).length >= 10,
        60_000,
        'ten submissions before the restart',
      );
      const downAt = Date.now();
      await pg.stop('fast');
      await waitFor(
        () => answers.some((a) => a.at > downAt + 300 && a.status === 503),
        30_000,
        'a 503 while the database is down',
      );
      await new Promise((r) => setTimeout(r, 1500));
      await pg.start();
      const upAt = Date.now();
      await waitFor(
        () => answers.filter((a) => a.at > upAt && a.status === 201).length >= 10,
        60_000,
        'ten submissions after the restart',
      );
    } finally {
      stopLoad = true;
      await load;
    }

    const byStatus = countBy(answers.map((a) => a.status));
    const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 503);
    expect({ byStatus, unexpected: unexpected.slice(0, 5) }).toEqual({ byStatus: expect.any(Object), unexpected: [] });
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const a of unavailable) {
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(['database_unavailable', 'database_busy']).toContain(a.code);
    }
    console.log(`restart under load: ${JSON.stringify(byStatus)}`);
  }, 240_000);
});

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function countBy(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
