import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileServer } from '../support/file-server';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const UK_XML = readFileSync(join(__dirname, '..', 'fixtures', 'lists', 'uk-sanctions-sample.xml'));
const DESIGNATION = /\s*<Designation>[\s\S]*?<\/Designation>/g;

/** The UK sample without the designations of these UniqueIDs. */
function ukWithout(xml: Buffer, ids: string[]): Buffer {
  return Buffer.from(
    xml
      .toString('utf8')
      .replace(DESIGNATION, (d) => (ids.some((id) => d.includes(`<UniqueID>${id}</UniqueID>`)) ? '' : d)),
  );
}

function ukEdited(xml: Buffer, from: string, to: string): Buffer {
  const text = xml.toString('utf8');
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`);
  return Buffer.from(text.replace(from, to));
}

describe('list sources fetched from a (local) publisher', () => {
  let t: TestService;
  let server: FileServer;
  const source = async (listId: string) =>
    (await t.http.get(`/v1/lists/${listId}/source`).set(...bearer(t.adminKey))).body;
  const versions = async (listId: string) =>
    (await t.http.get(`/v1/lists/${listId}/versions`).set(...bearer(t.adminKey))).body.items as {
      id: string;
      status: string;
      source: string;
      entryCount: number;
      error: string | null;
    }[];
  const activeId = async (listId: string) =>
    (
      (await t.http.get('/v1/lists').set(...bearer(t.adminKey))).body.items as {
        id: string;
        activeVersion: { id: string } | null;
      }[]
    ).find((l) => l.id === listId)?.activeVersion?.id;
  const refresh = async (listId: string) => {
    const res = await t.http.post(`/v1/lists/${listId}/source/refresh`).set(...bearer(t.adminKey));
    expect(res.status).toBe(202);
  };
  /** Refreshes and waits until the check is recorded (its request reached the server and lastCheckedAt moved on). */
  const checked = async (listId: string, path: string, until: (s: any) => boolean = () => true) => {
    const before = await source(listId);
    const seen = server.requestsTo(path).length;
    await refresh(listId);
    return eventually(async () => {
      const s = await source(listId);
      return server.requestsTo(path).length > seen && s.lastCheckedAt !== before.lastCheckedAt && until(s)
        ? s
        : undefined;
    }, 30000);
  };

  beforeAll(async () => {
    server = new FileServer();
    await server.start();
    t = await startTestService({ LIST_FETCH_RETRY_BASE_MS: 700, LIST_SOURCES_POLL_MS: 200 });
  });
  afterAll(async () => {
    await t.close();
    await server.stop();
  });

  describe('one UK list through every outcome', () => {
    const path = '/uk/UK-Sanctions-List.xml';
    let first: string;

    it('first fetch: creates the list and a version (source fetch) that becomes active', async () => {
      const url = server.serve(path, { body: UK_XML });
      const put = await t.http
        .put('/v1/lists/uk-test/source')
        .set(...bearer(t.adminKey))
        .send({ format: 'uk-sanctions-xml', url, refreshMinutes: 30 });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        listId: 'uk-test',
        format: 'uk-sanctions-xml',
        url,
        urls: { file: url },
        refreshMinutes: 30,
        enabled: true,
        origin: 'admin',
      });
      expect(['never', 'ok']).toContain(put.body.status);
      const s = await eventually(async () => {
        const b = await source('uk-test');
        return b.lastVersionStatus === 'active' ? b : undefined;
      }, 30000);
      expect(s).toMatchObject({
        status: 'ok',
        lastOutcome: 'changed',
        lastChangedAt: expect.any(String),
        lastCheckedAt: expect.any(String),
      });
      expect(s.lastError).toBeUndefined();
      expect(Date.parse(s.nextCheckAt) - Date.now()).toBeGreaterThan(25 * 60_000);
      const [v] = await versions('uk-test');
      expect(v).toMatchObject({ id: s.lastVersionId, status: 'active', source: 'fetch', entryCount: 12 });
      first = v.id;
      expect(server.requestsTo(path)[0].headers['if-none-match']).toBeUndefined();
    });

    it('304: the publisher says not modified (conditional GET); no new version, status ok', async () => {
      const s = await checked('uk-test', path);
      expect(s).toMatchObject({ status: 'ok', lastOutcome: 'not_modified', lastVersionId: first });
      const last = server.requestsTo(path).at(-1)!;
      expect(last.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
      expect(last.status).toBe(304);
      expect(await versions('uk-test')).toHaveLength(1);
    });

    it('200 with the same bytes: the sha256 matches the active version, so no new version', async () => {
      server.files.get(path)!.etag = false; // a publisher that ignores conditional GET
      const s = await checked('uk-test', path);
      expect(server.requestsTo(path).at(-1)!.status).toBe(200);
      expect(s).toMatchObject({ status: 'ok', lastOutcome: 'unchanged', lastVersionId: first });
      expect(await versions('uk-test')).toHaveLength(1);
    });

    it('changed content: a new version replaces the active one', async () => {
      server.serve(path, {
        body: ukEdited(
          UK_XML,
          'President of the Russian Federation.</OtherInformation>',
          'President of the Russian Federation since 2000.</OtherInformation>',
        ),
      });
      const s = await checked('uk-test', path, (b) => b.lastVersionId !== first && b.lastVersionStatus === 'active');
      expect(s).toMatchObject({ status: 'ok', lastOutcome: 'changed' });
      expect(await activeId('uk-test')).toBe(s.lastVersionId);
      expect((await versions('uk-test')).map((v) => v.status)).toEqual(['active', 'superseded']);
    });

    it('a small removal (1 of 12, under LIST_SHRINK_GUARD_PERCENT=10) activates', async () => {
      server.serve(path, { body: ukWithout(UK_XML, ['RUS1756']) });
      const s = await checked('uk-test', path, (b) => b.lastOutcome === 'changed' && b.lastVersionStatus === 'active');
      const [v] = await versions('uk-test');
      expect(v).toMatchObject({ id: s.lastVersionId, status: 'active', entryCount: 11 });
    });

    it('shrink: a version removing 3 of 11 entries (27%) is held, with the reason, audited, and the active one stays', async () => {
      const active = await activeId('uk-test');
      server.serve(path, { body: ukWithout(UK_XML, ['RUS1756', 'DPR0096', 'DPR0002', 'IRN0182']) });
      const s = await checked('uk-test', path, (b) => b.lastVersionStatus === 'held');
      expect(s).toMatchObject({ status: 'ok', lastOutcome: 'changed' });
      const [held] = await versions('uk-test');
      expect(held).toMatchObject({ id: s.lastVersionId, status: 'held', entryCount: 8 });
      expect(held.error).toMatch(
        /shrink guard: removes 3 of the 11 entries .* \(27\.3%, more than LIST_SHRINK_GUARD_PERCENT=10%\)/,
      );
      expect(await activeId('uk-test')).toBe(active);
      const audit: { action: string; data: any }[] = await t.service.db.dataSource.query(
        `SELECT action, data FROM audit_events WHERE subject_id = $1 ORDER BY id`,
        [held.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['list_version.uploaded', 'list_version.held']);
      expect(audit[1].data).toMatchObject({ removed: 3, activeEntries: 11, activeVersionId: active, limitPercent: 10 });
      // The same held file fetched again makes no second held version.
      const again = await checked('uk-test', path);
      expect(again.lastVersionId).toBe(held.id);
      expect((await versions('uk-test'))[0].id).toBe(held.id);
    });

    it('a truncated file makes a failed version; the active version stays and the source is failed', async () => {
      const active = await activeId('uk-test');
      server.serve(path, { body: UK_XML.subarray(0, Math.floor(UK_XML.length * 0.6)) });
      const s = await checked('uk-test', path, (b) => b.status === 'failed');
      expect(s.lastError).toMatch(/invalid XML|file: /);
      expect((await versions('uk-test'))[0]).toMatchObject({ id: s.lastVersionId, status: 'failed' });
      expect(await activeId('uk-test')).toBe(active);
    });

    it('a 500 turns the source stale (active version kept) and the job system retries it until it succeeds', async () => {
      const active = await activeId('uk-test');
      const seen = server.requestsTo(path).length;
      server.serve(path, { body: ukEdited(UK_XML, 'Leader of Al-Qaida.', 'Former leader of Al-Qaida.'), failNext: 3 });
      await refresh('uk-test');
      const stale = await eventually(
        async () => {
          const b = await source('uk-test');
          return b.status === 'stale' ? b : undefined;
        },
        30000,
        50,
      );
      expect(stale.lastError).toMatch(/HTTP 500/);
      expect(stale.lastOutcome).toBe('error');
      expect(await activeId('uk-test')).toBe(active);
      const ok = await eventually(async () => {
        const b = await source('uk-test');
        return b.status === 'ok' && b.lastVersionStatus === 'active' ? b : undefined;
      }, 60000);
      expect(ok.lastError).toBeUndefined();
      expect(
        server
          .requestsTo(path)
          .slice(seen)
          .map((r) => r.status),
      ).toEqual([500, 500, 500, 200]);
      expect(await activeId('uk-test')).toBe(ok.lastVersionId);
    }, 120000);
  });

  it('a publisher that never answers leaves the source stale after the last attempt, with no version', async () => {
    const url = server.serve('/down/list.xml', { body: UK_XML, failNext: 100, failStatus: 503 });
    await t.http
      .put('/v1/lists/uk-down/source')
      .set(...bearer(t.adminKey))
      .send({ format: 'uk-sanctions-xml', url });
    await eventually(async () => server.requestsTo('/down/list.xml').length === 4, 60000);
    const s = await eventually(async () => {
      const b = await source('uk-down');
      return b.status === 'stale' && b.lastOutcome === 'error' ? b : undefined;
    });
    expect(s.lastError).toMatch(/HTTP 503/);
    expect(await versions('uk-down')).toEqual([]);
  }, 90000);

  it('the scheduler fetches a source when its next check is due, and moves the next check one interval on', async () => {
    const path = '/sched/list.xml';
    const url = server.serve(path, { body: UK_XML, etag: false, lastModified: 'Fri, 14 Nov 2025 09:00:00 GMT' });
    await t.http
      .put('/v1/lists/uk-sched/source')
      .set(...bearer(t.adminKey))
      .send({ format: 'uk-sanctions-xml', url, refreshMinutes: 120 });
    await eventually(async () => (await source('uk-sched')).lastVersionStatus === 'active', 30000);
    await t.service.db.dataSource.query(
      `UPDATE list_sources SET next_check_at = now() - interval '1 second' WHERE list_id = 'uk-sched'`,
    );
    const s = await eventually(async () => {
      const b = await source('uk-sched');
      return b.lastOutcome === 'not_modified' ? b : undefined;
    }, 30000);
    expect(server.requestsTo(path).at(-1)!.headers['if-modified-since']).toBe('Fri, 14 Nov 2025 09:00:00 GMT');
    expect(Date.parse(s.nextCheckAt) - Date.now()).toBeGreaterThan(115 * 60_000);
    expect(await versions('uk-sched')).toHaveLength(1);
  }, 90000);
});
