import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, indexed, OFAC_2019, uploadList } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const UN_XML = join(FIXTURES, 'entities', 'un', 'UN_consolidated_2026-02-27.xml');
const ENTITIES_CSV = join(__dirname, '..', 'fixtures', 'lists', 'entities-sample.csv');
/**
 * The same file in memory, for uploads the API refuses before reading the body: attached by path, the file is read
 * from disk after the headers are sent, and on a busy machine the refusal can close the connection first (EPIPE).
 */
const ENTITIES_CSV_BYTES = readFileSync(ENTITIES_CSV);

describe('reference lists through the API', () => {
  let t: TestService;
  let auditor: string;
  beforeAll(async () => {
    // These tests replace whole lists on purpose: the shrink guard (tested in sources*.test.ts) would hold them.
    t = await startTestService({ LIST_SHRINK_GUARD_PERCENT: 100 });
    auditor = await t.key('auditor', 'authority');
  });
  afterAll(() => t.close());

  it('seeds the CHPL goods list and the UN list on an empty database, answers goods lookups by prefix and finds UN names', async () => {
    const lists = await t.http.get('/v1/lists').set(...bearer(auditor));
    expect(lists.body.items).toEqual([
      expect.objectContaining({
        id: 'chpl',
        kind: 'goods',
        activeVersion: expect.objectContaining({ status: 'active', entryCount: 50, source: 'seed' }),
      }),
      expect.objectContaining({
        id: 'un',
        kind: 'entities',
        activeVersion: expect.objectContaining({
          status: 'active',
          entryCount: 1003,
          source: 'seed',
          format: 'un-xml',
        }),
      }),
    ]);
    const un = await t.http
      .post('/v1/screen/parties')
      .set(...bearer(t.adminKey))
      .send({ parties: [{ name: 'Korea Mining Development Trading Corp', country: 'KP' }, { name: 'КОМИД' }] });
    expect(un.body.results.map((r: { matches: { listId: string; entryId: string }[] }) => r.matches[0])).toEqual([
      expect.objectContaining({ listId: 'un', entryId: 'KPe.001' }),
      expect.objectContaining({ listId: 'un', entryId: 'KPe.001' }),
    ]);
    const hit = await t.http.get('/v1/goods/8542.31.000.0').set(...bearer(auditor));
    expect(hit.body).toMatchObject({
      code: '8542310000',
      known: true,
      entries: [{ listId: 'chpl', prefix: '854231', severity: 'high' }],
    });
    const none = await t.http.get('/v1/goods/9403 60').set(...bearer(auditor));
    expect(none.body).toMatchObject({ code: '940360', known: true, entries: [] });
    const unknown = await t.http.get('/v1/goods/999999').set(...bearer(auditor));
    expect(unknown.body.known).toBe(false);
    const bad = await t.http.get('/v1/goods/85A').set(...bearer(auditor));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('params.code');
  });

  it('imports the full 2019 OFAC SDN list, records its digest and counts, and audits the import', async () => {
    const v = await uploadList(t.http, t.adminKey, 'ofac-sdn', 'ofac-sdn-csv', OFAC_2019);
    expect(v).toMatchObject({
      status: 'active',
      entryCount: 7379,
      format: 'ofac-sdn-csv',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const events = await t.http.get(`/v1/audit/events?subjectId=${v.id}`).set(...bearer(auditor));
    const actions = events.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => !e.manifest)
      .map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['list_version.uploaded', 'list_version.activated']);
  });

  it('fails a malformed version with its line number and leaves the active version serving', async () => {
    const before = await t.http.get('/v1/lists').set(...bearer(auditor));
    const active = before.body.items.find((l: { id: string }) => l.id === 'ofac-sdn').activeVersion.id;
    const broken = Buffer.from(
      '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n173,"ANGLO-CARIBBEAN CO., LTD.,-0- ,"CUBA"\n',
    );
    const res = await t.http
      .post('/v1/lists/ofac-sdn/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'ofac-sdn-csv')
      .attach('sdn', broken, 'sdn.csv');
    expect(res.status).toBe(202);
    const failed = await eventually(async () => {
      const v = await t.http.get(`/v1/lists/ofac-sdn/versions/${res.body.versionId}`).set(...bearer(auditor));
      return v.body.status === 'failed' ? v.body : undefined;
    });
    expect(failed.error).toMatch(/line 2/);
    const after = await t.http.get('/v1/lists').set(...bearer(auditor));
    expect(after.body.items.find((l: { id: string }) => l.id === 'ofac-sdn').activeVersion.id).toBe(active);
    // The full SDN list activated by the test before may still be indexing on a busy machine (a screening would wait
    // LIST_WAIT_MS, then answer 503): wait for this process to hold it, as the other screening tests do.
    await indexed(t.service, 'ofac-sdn', active);
    const screen = await t.http
      .post('/v1/screen/parties')
      .set(...bearer(t.adminKey))
      .send({ parties: [{ name: 'Banco Nacional de Cuba' }] });
    expect(screen.status).toBe(200);
    expect(screen.body.results[0].matches[0]).toMatchObject({ listId: 'ofac-sdn', entryId: '306' });
  });

  it('answers bad uploads with 4xx and writes nothing', async () => {
    const [{ n: before }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM list_versions`);
    const noFile = await t.http
      .post('/v1/lists/custom/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'entities-csv');
    expect(noFile.status).toBe(400);
    const wrongKind = await t.http
      .post('/v1/lists/chpl/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'entities-csv')
      .attach('file', ENTITIES_CSV_BYTES, 'entities-sample.csv');
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.errors[0].path).toBe('format');
    const badFormat = await t.http
      .post('/v1/lists/custom/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'pdf')
      .attach('file', ENTITIES_CSV_BYTES, 'entities-sample.csv');
    expect(badFormat.status).toBe(400);
    const notMultipart = await t.http
      .post('/v1/lists/custom/versions')
      .set(...bearer(t.adminKey))
      .send({ format: 'entities-csv' });
    expect(notMultipart.status).toBe(415);
    const badId = await t.http
      .post('/v1/lists/Bad%20Id!/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'entities-csv')
      .attach('file', ENTITIES_CSV_BYTES, 'entities-sample.csv');
    expect(badId.status).toBe(400);
    const broker = await t.key('broker', 'acme');
    expect(
      (
        await t.http
          .post('/v1/lists/custom/versions')
          .set(...bearer(broker))
          .field('format', 'entities-csv')
          .attach('file', ENTITIES_CSV_BYTES, 'entities-sample.csv')
      ).status,
    ).toBe(403);
    const [{ n: after }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM list_versions`);
    expect(after).toBe(before);
  });

  it('supersedes the previous version atomically and keeps it readable', async () => {
    const first = await uploadList(t.http, t.adminKey, 'watch', 'entities-csv', { file: ENTITIES_CSV }, 'entities');
    const second = await uploadList(t.http, t.adminKey, 'watch', 'entities-csv', {
      file: Buffer.from('id,name\nW-1,"TOO Zhetysu Logistics"\n'),
    });
    const old = await t.http.get(`/v1/lists/watch/versions/${first.id}`).set(...bearer(auditor));
    expect(old.body).toMatchObject({ status: 'superseded', entryCount: 5, supersededAt: expect.any(String) });
    const versions = await t.http.get('/v1/lists/watch/versions').set(...bearer(auditor));
    expect(versions.body.items.map((v: { id: string }) => v.id)).toEqual([second.id, first.id]);
    await indexed(t.service, 'watch', second.id);
    const screen = await t.http
      .post('/v1/screen/parties')
      .set(...bearer(t.adminKey))
      .send({ parties: [{ name: 'ТОО Жетысу Логистикс' }, { name: 'Acme Trading LLP' }] });
    expect(screen.body.results[0].matches[0]).toMatchObject({ listId: 'watch', entryId: 'W-1' });
    expect(screen.body.results[1].matches.filter((m: { listId: string }) => m.listId === 'watch')).toEqual([]);
  });

  it('screens up to 100 parties a request with explanations, and refuses more', async () => {
    await uploadList(t.http, t.adminKey, 'un', 'un-xml', { file: UN_XML });
    const res = await t.http
      .post('/v1/screen/parties')
      .set(...bearer(t.adminKey))
      .send({ parties: [{ name: 'Gennady Timchenko', country: 'RU' }, { name: 'Astana Interiors' }], minScore: 0.85 });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(2);
    const m = res.body.results[0].matches[0];
    expect(m).toMatchObject({ listId: 'ofac-sdn', entryId: '16666', matchKind: 'name' });
    expect(m.explanation.summary).toEqual(expect.any(String));
    expect(res.body.results[1].matches).toEqual([]);
    const tooMany = await t.http
      .post('/v1/screen/parties')
      .set(...bearer(t.adminKey))
      .send({ parties: Array.from({ length: 101 }, () => ({ name: 'x' })) });
    expect(tooMany.status).toBe(400);
    expect(
      (
        await t.http
          .post('/v1/screen/parties')
          .set(...bearer(auditor))
          .send({ parties: [{ name: 'x' }] })
      ).status,
    ).toBe(403);
  });
});

describe('list activation reaches every process', () => {
  it('a second process over the same database picks up a new version without a restart', async () => {
    const a = await startTestService();
    const { createService } = await import('../../src/composition');
    const b = await createService(a.config, 'worker');
    await b.start();
    try {
      const v = await uploadList(a.http, a.adminKey, 'watch', 'entities-csv', { file: ENTITIES_CSV }, 'entities');
      await indexed(b, 'watch', v.id);
      expect(b.lists.index.matcher.screen({ name: 'Сидоров Иван Петрович' }, { minScore: 0.85 })[0]).toMatchObject({
        listId: 'watch',
        entryId: 'P-0001',
      });
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('npm run lists:import (files too big for HTTP)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());

  it('imports from disk, activates the version and audits it', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        'dist/src/lists/import-cli.js',
        '--list',
        'ofac-sdn',
        '--format',
        'ofac-sdn-csv',
        '--file',
        `sdn=${OFAC_2019.sdn}`,
        '--file',
        `alt=${OFAC_2019.alt}`,
        '--file',
        `add=${OFAC_2019.add}`,
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent', LIST_SOURCES: 'off' },
      },
    );
    expect(stdout).toMatch(/Imported 7379 entries into ofac-sdn/);
    const lists = await t.http.get('/v1/lists').set(...bearer(t.adminKey));
    expect(lists.body.items.find((l: { id: string }) => l.id === 'ofac-sdn').activeVersion).toMatchObject({
      status: 'active',
      source: 'cli',
      entryCount: 7379,
    });
    const [{ n }] = await t.service.db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'list_version.activated' AND data->>'listId' = 'ofac-sdn'`,
    );
    expect(n).toBe(1);
    const usage = await run(process.execPath, ['dist/src/lists/import-cli.js', '--list', 'x'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl, LIST_SOURCES: 'off' },
    }).catch((e) => e);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/Usage/);
  }, 60000);
});
