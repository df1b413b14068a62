import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_SOURCES } from '../../src/list-sources/defaults';
import { claimDueSources } from '../../src/list-sources/list-sources.repository';
import { ListSourcesService } from '../../src/list-sources/list-sources.service';
import { FIXTURES, uploadList } from '../support/factories';
import { FileServer } from '../support/file-server';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const OFAC_2025 = join(FIXTURES, 'entities', 'ofac-sample-2025');
const OFAC_PARTS = { sdn: 'sdn.csv', alt: 'alt.csv', add: 'add.csv', comments: 'sdn_comments.csv' };
const UK_XML = readFileSync(join(__dirname, '..', 'fixtures', 'lists', 'uk-sanctions-sample.xml'));

describe('list source API: validation, roles, audit, OFAC parts, defaults, metrics', () => {
  let t: TestService;
  let server: FileServer;
  let auditor: string;
  let reviewer: string;
  const put = (listId: string, body: object, key = t.adminKey) =>
    t.http
      .put(`/v1/lists/${listId}/source`)
      .set(...bearer(key))
      .send(body);
  const source = async (listId: string) =>
    (await t.http.get(`/v1/lists/${listId}/source`).set(...bearer(t.adminKey))).body;

  beforeAll(async () => {
    server = new FileServer();
    await server.start();
    t = await startTestService({ METRICS_REFRESH_MS: 200 });
    auditor = await t.key('auditor', 'authority');
    reviewer = await t.key('reviewer', 'authority');
  });
  afterAll(async () => {
    await t.close();
    await server.stop();
  });

  it('answers bad sources with 400 naming the field, and writes nothing', async () => {
    const url = server.serve('/v/uk.xml', { body: UK_XML });
    const cases: [object, string][] = [
      [{ format: 'uk-sanctions-xml', url: 'ftp://example.org/list.xml' }, 'body.url'],
      [{ format: 'uk-sanctions-xml', url: 'not a url' }, 'body.url'],
      [{ format: 'uk-sanctions-xml' }, 'body.url'],
      [{ format: 'uk-sanctions-xml', url, urls: { file: url } }, 'body.url'],
      [{ format: 'pdf', url }, 'body.format'],
      [{ format: 'uk-sanctions-xml', url, refreshMinutes: 0 }, 'body.refreshMinutes'],
      [{ format: 'uk-sanctions-xml', url, color: 'red' }, 'body'],
      [{ format: 'ofac-sdn-csv', urls: { alt: url } }, 'body.urls.sdn'],
      [{ format: 'ofac-sdn-csv', urls: { sdn: url, extra: url } }, 'body.urls.extra'],
      [{ format: 'ofac-sdn-csv', url }, 'body.url'],
    ];
    for (const [body, path] of cases) {
      const res = await put('bad-source', body);
      expect([res.status, res.body.errors?.map((e: { path: string }) => e.path)]).toEqual([
        400,
        expect.arrayContaining([path]),
      ]);
    }
    const wrongKind = await put('chpl', { format: 'uk-sanctions-xml', url });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.errors[0].path).toBe('body.format');
    const [{ n, lists }] = await t.service.db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM list_sources) AS n, (SELECT count(*)::int FROM lists WHERE id = 'bad-source') AS lists`,
    );
    expect([n, lists]).toEqual([0, 0]);
    expect((await t.http.get('/v1/lists/bad-source/source').set(...bearer(t.adminKey))).status).toBe(404);
    expect((await t.http.post('/v1/lists/bad-source/source/refresh').set(...bearer(t.adminKey))).status).toBe(404);
  });

  it('lets admins set and refresh, auditors read, and nobody else; every change is audited', async () => {
    const url = server.serve('/roles/uk.xml', { body: UK_XML });
    expect((await put('uk-roles', { format: 'uk-sanctions-xml', url }, auditor)).status).toBe(403);
    const created = await put('uk-roles', { format: 'uk-sanctions-xml', url, enabled: false, refreshMinutes: 15 });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      status: 'never',
      enabled: false,
      lastCheckedAt: null,
      lastChangedAt: null,
      lastOutcome: null,
    });
    expect((await t.http.get('/v1/lists/uk-roles/source').set(...bearer(auditor))).body).toMatchObject({
      listId: 'uk-roles',
      enabled: false,
    });
    expect((await t.http.get('/v1/lists/uk-roles/source').set(...bearer(reviewer))).status).toBe(403);
    expect((await t.http.post('/v1/lists/uk-roles/source/refresh').set(...bearer(auditor))).status).toBe(403);
    const lists = await t.http.get('/v1/lists').set(...bearer(auditor));
    expect(lists.body.items).toContainEqual(
      expect.objectContaining({ id: 'uk-roles', kind: 'entities', activeVersion: null }),
    );
    // Disabled: nothing fetched until an admin asks.
    expect(server.requestsTo('/roles/uk.xml')).toHaveLength(0);
    expect(
      (await put('uk-roles', { format: 'uk-sanctions-xml', url, enabled: false, refreshMinutes: 20 })).body
        .refreshMinutes,
    ).toBe(20);
    const refresh = await t.http.post('/v1/lists/uk-roles/source/refresh').set(...bearer(t.adminKey));
    expect(refresh.status).toBe(202);
    await eventually(async () => (await source('uk-roles')).lastVersionStatus === 'active', 30000);
    const events: { action: string; actor: { role: string } }[] = await t.service.db.dataSource.query(
      `SELECT action, actor FROM audit_events WHERE subject_type = 'list' AND subject_id = 'uk-roles' ORDER BY id`,
    );
    expect(events.map((e) => e.action)).toEqual([
      'list.created',
      'list_source.created',
      'list_source.updated',
      'list_source.refresh_requested',
    ]);
    expect(events.every((e) => e.actor.role === 'admin')).toBe(true);
  });

  it('takes the four OFAC parts (comments included) over HTTP: as an upload and from a source', async () => {
    const files = Object.fromEntries(Object.entries(OFAC_PARTS).map(([part, f]) => [part, join(OFAC_2025, f)]));
    const uploaded = await uploadList(t.http, t.adminKey, 'ofac-2025', 'ofac-sdn-csv', files);
    const urls = Object.fromEntries(
      Object.entries(OFAC_PARTS).map(([part, f]) => [
        part,
        server.serve(`/ofac/${f}`, { body: readFileSync(join(OFAC_2025, f)) }),
      ]),
    );
    const res = await put('ofac-fetched', { format: 'ofac-sdn-csv', urls });
    expect(res.status).toBe(200);
    expect(res.body.url).toBeUndefined();
    const fetched = await eventually(async () => {
      const s = await source('ofac-fetched');
      return s.lastVersionStatus === 'active' ? s : undefined;
    }, 30000);
    for (const [versionId, listId] of [
      [uploaded.id, 'ofac-2025'],
      [fetched.lastVersionId, 'ofac-fetched'],
    ]) {
      const [row] = await t.service.db.dataSource.query(
        `SELECT entry FROM entity_entries WHERE version_id = $1 AND entry_id = '33151'`,
        [versionId],
      );
      // The remark continued in sdn_comments.csv is joined to the entry.
      expect([listId, row.entry.remarks]).toEqual([listId, expect.stringContaining("a.k.a. 'SUCCESSFUL EXCHANGE'")]);
    }
    const version = (
      await t.http.get(`/v1/lists/ofac-fetched/versions/${fetched.lastVersionId}`).set(...bearer(t.adminKey))
    ).body;
    expect(version.sha256).toBe(uploaded.sha256); // same four files, same digest, whichever way they came
    // The same four files set as the source of the uploaded list make no new version there (sha256 dedupe).
    await put('ofac-2025', { format: 'ofac-sdn-csv', urls });
    const same = await eventually(async () => {
      const s = await source('ofac-2025');
      return s.lastOutcome ? s : undefined;
    }, 30000);
    expect(same).toMatchObject({
      status: 'ok',
      lastOutcome: 'unchanged',
      lastVersionId: uploaded.id,
      lastChangedAt: null,
    });
    expect((await t.http.get('/v1/lists/ofac-2025/versions').set(...bearer(t.adminKey))).body.items).toHaveLength(1);
  });

  it('holds an uploaded version that removes more than LIST_SHRINK_GUARD_PERCENT of the active one', async () => {
    const csv = readFileSync(join(__dirname, '..', 'fixtures', 'lists', 'entities-sample.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    const active = await uploadList(
      t.http,
      t.adminKey,
      'guarded',
      'entities-csv',
      { file: Buffer.from(csv.join('\n')) },
      'entities',
    );
    expect(active.entryCount).toBe(csv.length - 1);
    const res = await t.http
      .post('/v1/lists/guarded/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'entities-csv')
      .attach('file', Buffer.from(csv.slice(0, -1).join('\n')), 'smaller.csv');
    expect(res.status).toBe(202);
    const held = await eventually(async () => {
      const v = (await t.http.get(`/v1/lists/guarded/versions/${res.body.versionId}`).set(...bearer(auditor))).body;
      return v.status !== 'importing' ? v : undefined;
    });
    expect(held).toMatchObject({
      status: 'held',
      entryCount: csv.length - 2,
      activatedAt: null,
      error: expect.stringMatching(/^held by the shrink guard: removes 1 of the 5 entries/),
    });
    const lists = (await t.http.get('/v1/lists').set(...bearer(auditor))).body.items;
    expect(lists.find((l: { id: string }) => l.id === 'guarded').activeVersion.id).toBe(active.id);
  });

  it('installs the shipped default sources once; with LIST_SOURCES=off the scheduler never claims them', async () => {
    const ds = t.service.db.dataSource;
    const shipped = new ListSourcesService(ds, t.service.uow, t.service.lists.service, pino({ level: 'silent' }), {
      timeoutMs: 1000,
      maxBytes: 1000,
      shippedSources: true,
    });
    expect(await shipped.installDefaults(DEFAULT_SOURCES)).toEqual([
      'ofac-sdn',
      'un',
      'eu-fsf',
      'us-csl',
      'uk-sanctions',
    ]);
    expect(await shipped.installDefaults(DEFAULT_SOURCES)).toEqual([]);
    const ofac = await source('ofac-sdn');
    expect(ofac).toMatchObject({ origin: 'shipped', status: 'never', format: 'ofac-sdn-csv', enabled: true });
    expect(Object.keys(ofac.urls).sort()).toEqual(['add', 'alt', 'comments', 'sdn']);
    expect((await source('uk-sanctions')).url).toBe('https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml');
    // Claimed in a transaction that is rolled back: whether they would be fetched, without fetching anything.
    const claim = async (includeShipped: boolean) => {
      const runner = ds.createQueryRunner();
      await runner.startTransaction();
      try {
        return await claimDueSources(runner.manager, includeShipped);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    expect(await claim(true)).toEqual(expect.arrayContaining(['ofac-sdn', 'un', 'eu-fsf', 'us-csl', 'uk-sanctions']));
    expect(await claim(false)).toEqual([]);
  });

  it('describes the source routes and the held status in /openapi.json', async () => {
    const doc = (await t.http.get('/openapi.json')).body;
    expect(Object.keys(doc.paths['/v1/lists/{listId}/source']).sort()).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/v1/lists/{listId}/source/refresh'])).toEqual(['post']);
    expect(doc.components.schemas.ListSource.properties.status.enum).toEqual(['never', 'ok', 'stale', 'failed']);
    expect(doc.components.schemas.ListVersion.properties.status.enum).toContain('held');
    expect(doc.components.schemas.ListUpload.properties).toHaveProperty('comments');
  });

  it("exports each list's age and each source's status and last outcome on /metrics", async () => {
    // Read by the metrics refresh loop, not per scrape: wait for a round that saw everything the tests above did.
    const expected = [
      /^list_active_version_age_seconds\{list_id="chpl"\} \d+(\.\d+)?(e[-+]\d+)?$/m,
      /^list_source_status\{list_id="ofac-fetched",status="ok"\} 1$/m,
      /^list_source_status\{list_id="uk-sanctions",status="never"\} 1$/m,
      /^list_source_last_fetch_timestamp_seconds\{list_id="ofac-fetched",outcome="changed"\} \d+/m,
      /^list_source_last_fetch_timestamp_seconds\{list_id="ofac-2025",outcome="unchanged"\} \d+/m,
    ];
    let text = '';
    await eventually(async () => {
      text = (await t.http.get('/metrics')).text;
      return expected.every((re) => re.test(text));
    }, 20_000).catch(() => undefined);
    for (const re of expected) expect(text).toMatch(re);
  });
});
