import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileServer } from '../support/file-server';
import { spawnWorker } from '../support/processes';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const UK_XML = readFileSync(join(__dirname, '..', 'fixtures', 'lists', 'uk-sanctions-sample.xml'));

/** Needs `npm run build` (spawns dist/src/worker.js). Fetches and scheduled checks run in the worker process. */
describe('list sources with a separate worker process', () => {
  let t: TestService;
  let server: FileServer;
  beforeAll(async () => {
    server = new FileServer();
    await server.start();
    // The API only relays: every lists.fetch job and the scheduler's checks belong to the worker.
    t = await startTestService({ RUN_JOBS_IN_API: 'false' });
  });
  afterAll(async () => {
    await t.close();
    await server.stop();
  });

  it('the worker fetches a source set through the API, and checks it again when it falls due', async () => {
    const source = async () => (await t.http.get('/v1/lists/uk-worker/source').set(...bearer(t.adminKey))).body;
    const url = server.serve('/worker/uk.xml', { body: UK_XML });
    const put = await t.http
      .put('/v1/lists/uk-worker/source')
      .set(...bearer(t.adminKey))
      .send({ format: 'uk-sanctions-xml', url });
    expect(put.body.status).toBe('never');
    const worker = spawnWorker({
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: t.config.REDIS_URL!,
      QUEUE_PREFIX: t.config.QUEUE_PREFIX,
      LOG_LEVEL: 'silent',
      LIST_SOURCES_POLL_MS: '200',
    });
    try {
      const first = await eventually(async () => {
        const s = await source();
        return s.lastVersionStatus === 'active' ? s : undefined;
      }, 60000);
      expect(first).toMatchObject({ status: 'ok', lastOutcome: 'changed' });
      await t.service.db.dataSource.query(
        `UPDATE list_sources SET next_check_at = now() - interval '1 second' WHERE list_id = 'uk-worker'`,
      );
      const due = await eventually(async () => {
        const s = await source();
        return s.lastOutcome === 'not_modified' ? s : undefined;
      }, 60000);
      expect(due.lastVersionId).toBe(first.lastVersionId);
      expect(server.requestsTo('/worker/uk.xml').map((r) => r.status)).toEqual([200, 304]);
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 150000);
});
