import { keyWithId, uploadWatchList, withConsignee } from '../cases/helpers';
import { indexed, submit, uploadList } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

type Row = { id: string; name: string; countries?: string[]; programs?: string[] };

/**
 * Twelve ordinary entries, so removing one stays under the shrink guard's default 10 % (a version removing more is
 * held, not activated).
 */
const FILLER: Row[] = Array.from({ length: 12 }, (_, i) => ({
  id: `F-${String(i + 1).padStart(2, '0')}`,
  name: `Filler Trading Company Number ${i + 1}`,
}));

describe('list versions: activation by hand, rollback, versions, diff, delistings', () => {
  let t: TestService;
  let auditor: string;
  let supervisor: string;
  let broker: string;
  const ds = () => t.service.db.dataSource;

  async function completedRescreen(listId: string, versionId: string, startedAfter?: string) {
    return eventually(async () => {
      const v = await t.http.get(`/v1/lists/${listId}/versions/${versionId}`).set(...bearer(t.adminKey));
      const r = v.body.rescreen;
      return r?.status === 'completed' && (!startedAfter || r.startedAt > startedAfter) ? r : undefined;
    }, 60000);
  }

  function activate(listId: string, versionId: string, key = t.adminKey) {
    return t.http.post(`/v1/lists/${listId}/versions/${versionId}/activate`).set(...bearer(key));
  }

  async function activeVersionOf(listId: string): Promise<string> {
    const lists = await t.http.get('/v1/lists').set(...bearer(auditor));
    return lists.body.items.find((l: { id: string }) => l.id === listId).activeVersion.id;
  }

  beforeAll(async () => {
    t = await startTestService();
    auditor = await t.key('auditor', 'customs-authority');
    supervisor = await t.key('supervisor', 'customs-authority');
    broker = await t.key('broker', 'acme-brokers');
  });
  afterAll(() => t.close());

  it('rolls back to an older version: it is active again, the newer one superseded, audited, re-screened against the newer', async () => {
    const v1 = await uploadWatchList(t, 'roll', [...FILLER, { id: 'R-1', name: 'Aurora Borealis Shipping LLC' }]);
    await completedRescreen('roll', v1.id);
    const v2 = await uploadWatchList(t, 'roll', [
      ...FILLER,
      { id: 'R-1', name: 'Aurora Borealis Shipping LLC' },
      { id: 'R-2', name: 'Kestrel Avionics Trading FZE' },
    ]);
    const firstRun = await completedRescreen('roll', v2.id);
    const screenKestrel = () =>
      t.http
        .post('/v1/screen/parties')
        .set(...bearer(t.adminKey))
        .send({ parties: [{ name: 'Kestrel Avionics Trading FZE' }] });
    expect((await screenKestrel()).body.results[0].matches).toEqual([
      expect.objectContaining({ listId: 'roll', entryId: 'R-2' }),
    ]);

    const res = await activate('roll', v1.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: v1.id,
      status: 'active',
      supersededAt: null,
      activatedAt: expect.any(String),
    });
    const old = await t.http.get(`/v1/lists/roll/versions/${v2.id}`).set(...bearer(auditor));
    expect(old.body).toMatchObject({ status: 'superseded', supersededAt: expect.any(String) });
    expect(await activeVersionOf('roll')).toBe(v1.id);

    const [event] = await ds().query(
      `SELECT actor, data FROM audit_events WHERE subject_id = $1 AND action = 'list_version.activated' ORDER BY id DESC LIMIT 1`,
      [v1.id],
    );
    const [adminKey] = await ds().query(`SELECT id FROM api_keys WHERE role = 'admin' ORDER BY created_at LIMIT 1`);
    expect(event.data).toMatchObject({ listId: 'roll', previousVersionId: v2.id, rollback: true, held: false });
    expect(event.actor).toMatchObject({ keyId: adminKey.id, role: 'admin' });

    // The re-screening of the rollback compares with v2, the version it replaced, under a job of its own.
    const run = await completedRescreen('roll', v1.id, firstRun.finishedAt);
    expect(run).toMatchObject({ status: 'completed', deltaEntries: 0, error: null });
    const [stored] = await ds().query(`SELECT previous_version_id FROM rescreen_runs WHERE version_id = $1`, [v1.id]);
    expect(stored.previous_version_id).toBe(v2.id);
    await indexed(t.service, 'roll', v1.id);
    expect((await screenKestrel()).body.results[0].matches).toEqual([]);
  });

  it('activates a held version by hand, and answers 409 for importing, failed and active versions', async () => {
    const active = await activeVersionOf('roll');
    const [held] = await ds().query(
      `INSERT INTO list_versions (list_id, status, format, sha256, entry_count, imported_by, finished_at)
       VALUES ('roll', 'held', 'entities-csv', repeat('a', 64), 1, '{"keyId":null,"role":"system","organization":null}', now()) RETURNING id`,
    );
    await ds().query(
      `INSERT INTO entity_entries (version_id, entry_id, entry, content_hash) SELECT $1, entry_id, entry, content_hash FROM entity_entries WHERE version_id = $2 AND entry_id = 'R-1'`,
      [held.id, active],
    );
    const listed = await t.http.get('/v1/lists/roll/versions?limit=1').set(...bearer(auditor));
    expect(listed.body.items[0]).toMatchObject({ id: held.id, status: 'held', activatedAt: null });

    expect((await activate('roll', held.id, supervisor)).status).toBe(403);
    const res = await activate('roll', held.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: held.id, status: 'active', entryCount: 1 });
    const [event] = await ds().query(
      `SELECT data FROM audit_events WHERE subject_id = $1 AND action = 'list_version.activated'`,
      [held.id],
    );
    expect(event.data).toMatchObject({ previousVersionId: active, held: true, rollback: false });
    expect(await completedRescreen('roll', held.id)).toMatchObject({ status: 'completed' });

    const again = await activate('roll', held.id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'version_already_active', status: 409 });

    const [importing] = await ds().query(
      `INSERT INTO list_versions (list_id, status, format, sha256, imported_by) VALUES ('roll', 'importing', 'entities-csv', repeat('b', 64), '{"keyId":null,"role":"system","organization":null}') RETURNING id`,
    );
    expect((await activate('roll', importing.id)).body).toMatchObject({ status: 409, code: 'version_importing' });
    await ds().query(`UPDATE list_versions SET status = 'failed', error = 'file: line 3: bad row' WHERE id = $1`, [
      importing.id,
    ]);
    expect((await activate('roll', importing.id)).body).toMatchObject({ status: 409, code: 'version_failed' });

    expect((await activate('roll', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await activate('no-such-list', held.id)).status).toBe(404);
    expect(await activeVersionOf('roll')).toBe(held.id);
  });

  it('lists versions newest first with cursor pagination', async () => {
    const all = await t.http.get('/v1/lists/roll/versions').set(...bearer(supervisor));
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items).toHaveLength(4);
    for (const v of all.body.items)
      expect(v).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          status: expect.any(String),
          sha256: expect.any(String),
          createdAt: expect.any(String),
        }),
      );
    const created = all.body.items.map((v: { createdAt: string }) => v.createdAt);
    expect([...created].sort().reverse()).toEqual(created);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=1&cursor=${cursor}` : '?limit=1';
      const res = await t.http.get(`/v1/lists/roll/versions${q}`).set(...bearer(auditor));
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((v: { id: string }) => v.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((v: { id: string }) => v.id));

    expect((await t.http.get('/v1/lists/roll/versions?cursor=forged').set(...bearer(auditor))).status).toBe(400);
    expect((await t.http.get('/v1/lists/roll/versions?limit=501').set(...bearer(auditor))).status).toBe(400);
    expect((await t.http.get('/v1/lists/no-such-list/versions').set(...bearer(auditor))).status).toBe(404);
    expect((await t.http.get('/v1/lists/roll/versions').set(...bearer(broker))).status).toBe(403);
  });

  it('diffs two versions in SQL: counts, pages by entry id, the default and an explicit `against`', async () => {
    const d1 = await uploadWatchList(t, 'difflist', [
      ...FILLER,
      { id: 'A', name: 'Alpha Machine Tools' },
      { id: 'B', name: 'Bravo Optics' },
      { id: 'C', name: 'Charlie Drones' },
    ]);
    const d2 = await uploadWatchList(t, 'difflist', [
      ...FILLER,
      { id: 'A', name: 'Alpha Machine Tools' },
      { id: 'B', name: 'Bravo Optics', countries: ['BY'] },
      { id: 'D', name: 'Delta Navigation' },
    ]);
    const diff = await t.http.get(`/v1/lists/difflist/versions/${d2.id}/diff`).set(...bearer(auditor));
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      versionId: d2.id,
      against: d1.id,
      added: 1,
      removed: 1,
      changed: 1,
      nextCursor: null,
      items: [
        { change: 'changed', entryId: 'B', name: 'Bravo Optics' },
        { change: 'removed', entryId: 'C', name: 'Charlie Drones' },
        { change: 'added', entryId: 'D', name: 'Delta Navigation' },
      ],
    });

    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: unknown[]; nextCursor: string | null } } = await t.http
        .get(`/v1/lists/difflist/versions/${d2.id}/diff?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .set(...bearer(supervisor));
      expect(res.body).toMatchObject({ added: 1, removed: 1, changed: 1 });
      paged.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(diff.body.items);

    const reverse = await t.http
      .get(`/v1/lists/difflist/versions/${d1.id}/diff?against=${d2.id}`)
      .set(...bearer(auditor));
    expect(reverse.body).toMatchObject({ against: d2.id, added: 1, removed: 1, changed: 1 });
    expect(reverse.body.items.map((i: { change: string; entryId: string }) => `${i.change}:${i.entryId}`)).toEqual([
      'changed:B',
      'added:C',
      'removed:D',
    ]);

    // The first version replaced nothing: everything it holds is added.
    const first = await t.http.get(`/v1/lists/difflist/versions/${d1.id}/diff?limit=500`).set(...bearer(auditor));
    expect(first.body).toMatchObject({ against: null, added: 15, removed: 0, changed: 0 });

    const other = await activeVersionOf('un');
    expect(
      (await t.http.get(`/v1/lists/difflist/versions/${d2.id}/diff?against=${other}`).set(...bearer(auditor))).status,
    ).toBe(404);
    expect(
      (await t.http.get(`/v1/lists/difflist/versions/${d2.id}/diff?against=nope`).set(...bearer(auditor))).status,
    ).toBe(400);
    expect(
      (await t.http.get(`/v1/lists/difflist/versions/${d2.id}/diff?cursor=forged`).set(...bearer(auditor))).status,
    ).toBe(400);
    expect((await t.http.get(`/v1/lists/difflist/versions/${d2.id}/diff`).set(...bearer(broker))).status).toBe(403);

    // Goods lists compare prefix by prefix: a new severity or label is a change.
    const filler = Array.from({ length: 12 }, (_, i) => `01${String(i + 1).padStart(2, '0')},low,Filler ${i + 1}`);
    const goods = (rows: string[]) => Buffer.from(['prefix,severity,label', ...filler, ...rows].join('\n'));
    const g1 = await uploadList(
      t.http,
      t.adminKey,
      'diffgoods',
      'goods-csv',
      { file: goods(['8542,high,ICs', '9999,low,placeholder', '880100,high,Gliders']) },
      'goods',
    );
    const g2 = await uploadList(
      t.http,
      t.adminKey,
      'diffgoods',
      'goods-csv',
      { file: goods(['8542,medium,ICs', '9999,low,placeholder', '940161,high,Seats']) },
      'goods',
    );
    const gd = await t.http.get(`/v1/lists/diffgoods/versions/${g2.id}/diff`).set(...bearer(auditor));
    expect(gd.body).toMatchObject({ against: g1.id, added: 1, removed: 1, changed: 1 });
    expect(gd.body.items).toEqual([
      { change: 'changed', entryId: '8542', name: 'ICs' },
      { change: 'removed', entryId: '880100', name: 'Gliders' },
      { change: 'added', entryId: '940161', name: 'Seats' },
    ]);
  });

  it('describes the new endpoints in the OpenAPI document', async () => {
    const doc = await t.http.get('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/lists/{listId}/versions',
        '/v1/lists/{listId}/versions/{versionId}/activate',
        '/v1/lists/{listId}/versions/{versionId}/diff',
      ]),
    );
    expect(doc.body.components.schemas.ListVersion.properties.status.enum).toContain('held');
  });

  it('re-screens a declaration whose open case hits an entry the new version removes, and names the entry in the case history', async () => {
    const listed = 'Polar Night Logistics LLC';
    const w1 = await uploadWatchList(t, 'delist', [...FILLER, { id: 'X-1', name: listed }]);
    await completedRescreen('delist', w1.id);
    const submitted = await submit(t.http, broker, withConsignee(listed));
    expect(submitted.status).toBe(201);
    expect(submitted.body.screening.hits).toEqual(
      expect.arrayContaining([expect.objectContaining({ listId: 'delist', entryId: 'X-1' })]),
    );
    const caseId: string = submitted.body.caseId;
    expect(caseId).toEqual(expect.any(String));

    const w2 = await uploadWatchList(t, 'delist', FILLER);
    const run = await completedRescreen('delist', w2.id);
    expect(run.flagged).toBe(1);

    const reviewer = await keyWithId(t, 'reviewer');
    const decl = await t.http.get(`/v1/declarations/${submitted.body.id}`).set(...bearer(reviewer.secret));
    expect(decl.body.screening).toMatchObject({ trigger: 'rescreen' });
    expect(decl.body.screening.listVersions.delist).toBe(w2.id);
    expect(decl.body.screening.hits.filter((h: { listId?: string }) => h.listId === 'delist')).toEqual([]);
    expect(decl.body.status).toBe('under_review');

    const kase = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret));
    expect(kase.status).toBe(200);
    const delisted = kase.body.history.filter((h: { action: string }) => h.action === 'case.list_entries_delisted');
    expect(delisted).toHaveLength(1);
    expect(delisted[0].data).toMatchObject({
      listId: 'delist',
      versionId: w2.id,
      previousVersionId: w1.id,
      removedEntryIds: ['X-1'],
      changedEntryIds: [],
    });
    expect(kase.body.history.map((h: { action: string }) => h.action)).toContain('declaration.rescreened');

    // Rolling back brings the entry back: the delta pass finds the declaration again under the rollback's own run.
    const back = await activate('delist', w1.id);
    expect(back.status).toBe(200);
    const rerun = await completedRescreen('delist', w1.id, run.finishedAt);
    expect(rerun).toMatchObject({ deltaEntries: 1, flagged: 1 });
    const after = await t.http.get(`/v1/declarations/${submitted.body.id}`).set(...bearer(reviewer.secret));
    expect(after.body.screening.hits).toEqual(
      expect.arrayContaining([expect.objectContaining({ listId: 'delist', entryId: 'X-1' })]),
    );
  });
});
