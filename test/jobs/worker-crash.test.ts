import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnWorker } from '../support/processes';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

// Needs the compiled worker: `npm run build` first.
const SDN_2019 = join(__dirname, '..', 'fixtures', 'data', 'entities', 'ofac-sdn-2019');
const SDN_2019_ENTRIES = 7379;

describe('a worker killed in the middle of a list import', () => {
  let t: TestService;
  const workers: ReturnType<typeof spawnWorker>[] = [];
  beforeAll(async () => {
    // This process only relays; worker processes run the import.
    t = await startTestService({ RUN_JOBS_IN_API: 'false', UPLOAD_LIMIT_BYTES: 16 * 1024 * 1024 });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    await t.close();
  });

  function startWorker() {
    const w = spawnWorker({
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: t.config.REDIS_URL!,
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      // The dead worker's lock runs out after this; another worker's stalled check then takes the job over.
      JOB_LOCK_MS: '3000',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    });
    workers.push(w);
    return w;
  }

  async function uploadSdn(): Promise<string> {
    const res = await t.http
      .post('/v1/lists/ofac-sdn-crash/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'ofac-sdn-csv')
      .field('kind', 'entities')
      .attach('sdn', readFileSync(join(SDN_2019, 'sdn.csv')), 'sdn.csv')
      .attach('alt', readFileSync(join(SDN_2019, 'alt.csv')), 'alt.csv')
      .attach('add', readFileSync(join(SDN_2019, 'add.csv')), 'add.csv');
    expect(res.status).toBe(202);
    return res.body.versionId as string;
  }

  it('is taken over by another worker and the version activates with every entry', async () => {
    const ds = t.service.db.dataSource;
    const state = async (versionId: string): Promise<{ status: string; n: number }> =>
      (
        await ds.query(
          `SELECT v.status, (SELECT count(*)::int FROM entity_entries WHERE version_id = v.id) AS n FROM list_versions v WHERE v.id = $1`,
          [versionId],
        )
      )[0];

    // Kill as soon as the import has written its first rows. On a very loaded machine the import may finish before the
    // kill lands; that run proves nothing, so a new version is uploaded and the kill tried again (at most 3 times).
    let versionId = '';
    let killed: { status: string; n: number } | undefined;
    for (let round = 0; round < 3 && killed?.status !== 'importing'; round += 1) {
      versionId = await uploadSdn();
      const first = startWorker();
      await eventually(
        async () => {
          const s = await state(versionId);
          return s.n > 0 || s.status !== 'importing';
        },
        150000,
        10,
      ).catch((err) => {
        throw new Error(`${err.message}; worker said: ${first.output().slice(-2000)}`);
      });
      await first.kill('SIGKILL');
      killed = await state(versionId);
    }
    expect(killed).toEqual({ status: 'importing', n: expect.any(Number) });
    expect(killed!.n).toBeGreaterThan(0);
    expect(killed!.n).toBeLessThan(SDN_2019_ENTRIES);

    const second = startWorker();
    const version = await eventually(async () => {
      const v = await t.http.get(`/v1/lists/ofac-sdn-crash/versions/${versionId}`).set(...bearer(t.adminKey));
      return v.body.status === 'active' ? v.body : undefined;
    }, 150000).catch((err) => {
      throw new Error(`${err.message}; worker said: ${second.output().slice(-2000)}`);
    });
    expect(version.entryCount).toBe(SDN_2019_ENTRIES);
    const { n } = await state(versionId);
    expect(n).toBe(SDN_2019_ENTRIES);
    const [{ activations }] = await ds.query(
      `SELECT count(*)::int AS activations FROM audit_events WHERE action = 'list_version.activated' AND subject_id = $1`,
      [versionId],
    );
    expect(activations).toBe(1);
  }, 330000);
});
