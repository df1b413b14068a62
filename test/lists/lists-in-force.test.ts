import { join } from 'node:path';
import { Client } from 'pg';
import { SYSTEM_ACTOR } from '../../src/audit/audit.service';
import { writeNewDeclaration } from '../../src/declarations/declaration-writer';
import type { DeclarationInput } from '../../src/screening/declaration-input';
import { declaration, indexed, submit, uploadList } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';

const ENTITIES_CSV = join(__dirname, '..', 'fixtures', 'lists', 'entities-sample.csv');
const NEW_ENTRY = {
  entryId: 'W-9',
  kind: 'organization',
  names: ['Zhetysu Freight Logistics'],
  countries: ['KZ'],
  programs: ['TEST'],
  identifiers: [],
};

/** Makes a new version of `listId` holding the active entries plus NEW_ENTRY, ready to activate (status importing). */
async function prepareVersion(t: TestService, listId: string, from: string): Promise<string> {
  const v = await t.service.lists.service.createLocalVersion(
    SYSTEM_ACTOR,
    { listId, format: 'entities-csv', source: 'cli' },
    [{ name: 'file', sha256: 'f'.repeat(64), bytes: 1 }],
  );
  const ds = t.service.db.dataSource;
  await ds.query(
    `INSERT INTO entity_entries (version_id, entry_id, entry, content_hash) SELECT $1, entry_id, entry, content_hash FROM entity_entries WHERE version_id = $2`,
    [v.id, from],
  );
  await ds.query(
    `INSERT INTO entity_entries (version_id, entry_id, entry, content_hash) VALUES ($1, 'W-9', $2::jsonb, 'new')`,
    [v.id, JSON.stringify(NEW_ENTRY)],
  );
  return v.id;
}

describe('a process behind the lists in force waits or answers 503, and is not ready', () => {
  let t: TestService;
  let v1: string;
  beforeAll(async () => {
    t = await startTestService({ LIST_WAIT_MS: 1500 });
    v1 = (await uploadList(t.http, t.adminKey, 'watch', 'entities-csv', { file: ENTITIES_CSV }, 'entities')).id;
    await indexed(t.service, 'watch', v1);
  });
  afterAll(() => t.close());

  it('names the versions it holds in /readyz, answers 503 with Retry-After while it cannot load a new one, then serves it', async () => {
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok', lists: 'ok' },
      lists: { chpl: expect.any(String), un: expect.any(String), watch: v1 },
    });

    const v2 = await prepareVersion(t, 'watch', v1);
    // Reading the new version's entries blocks while this lock is held, so the process cannot load it.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE entity_entries IN ACCESS EXCLUSIVE MODE');
      await t.service.lists.service.activate(v2, { entries: 6, duplicates: 0 });

      const behind = await t.http.get('/readyz');
      expect(behind.status).toBe(503);
      expect(behind.body).toMatchObject({ status: 'not ready', checks: { lists: 'down' }, lists: { watch: v1 } });

      const broker = await t.key('broker');
      const [screen, goods, submitted] = await Promise.all([
        t.http
          .post('/v1/screen/parties')
          .set(...bearer(t.adminKey))
          .send({ parties: [{ name: 'Zhetysu Freight Logistics' }] }),
        t.http.get('/v1/goods/854231').set(...bearer(t.adminKey)),
        submit(t.http, broker, declaration({ consignee: { name: 'Zhetysu Freight Logistics LLP', country: 'KZ' } })),
      ]);
      for (const res of [screen, goods, submitted]) {
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.headers['retry-after']).toBe('2');
        expect(res.body.code).toBe('lists_loading');
      }

      // The wait path: a request arriving while the process is behind is answered with the new version once loaded.
      const waiting = t.http
        .post('/v1/screen/parties')
        .set(...bearer(t.adminKey))
        .send({ parties: [{ name: 'Zhetysu Freight Logistics' }] })
        .then((r) => r);
      await new Promise((r) => setTimeout(r, 100));
      await blocker.query('ROLLBACK');
      const served = await waiting;
      expect(served.status).toBe(200);
      expect(served.body.listVersions.watch).toBe(v2);
      expect(served.body.results[0].matches[0]).toMatchObject({ listId: 'watch', versionId: v2, entryId: 'W-9' });
    } finally {
      await blocker.end();
    }
    const caughtUp = await eventually(async () => {
      const r = await t.http.get('/readyz');
      return r.status === 200 ? r : undefined;
    });
    expect(caughtUp.body.lists).toEqual({ chpl: expect.any(String), un: expect.any(String), watch: v2 });
  });
});

describe('the re-screen catch-up pass', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ RESCREEN_CATCHUP_DELAY_MS: 4000 });
  });
  afterAll(() => t.close());

  it('flags a declaration recorded with the older version after the re-screen fixed its candidates', async () => {
    const v1 = (await uploadList(t.http, t.adminKey, 'watch', 'entities-csv', { file: ENTITIES_CSV }, 'entities')).id;
    await indexed(t.service, 'watch', v1);
    const ds = t.service.db.dataSource;
    const [key] = await ds.query(`SELECT id FROM api_keys LIMIT 1`);
    const v2 = await prepareVersion(t, 'watch', v1);
    await t.service.lists.service.activate(v2, { entries: 6, duplicates: 0 });
    // The run has fixed its candidates: what is written now is not among them.
    await eventually(
      async () => {
        const [run] = await ds.query(`SELECT status FROM rescreen_runs WHERE version_id = $1`, [v2]);
        return run?.status === 'running' || undefined;
      },
      20_000,
      20,
    );

    // As a process would have recorded it had it screened with v1 just before the switch: cleared, no party hit.
    const write = async (listVersions: Record<string, string>) => {
      const input = declaration({
        consignee: { name: 'Zhetysu Freight Logistics LLP', country: 'KZ' },
      }) as DeclarationInput;
      const answer = await writeNewDeclaration(ds.manager, t.config, {
        actor: SYSTEM_ACTOR,
        organization: 'acme-brokers',
        submittedBy: key.id,
        input,
        trigger: 'submission',
        batchId: null,
        result: {
          outcome: 'CLEAR',
          riskScore: 0,
          hits: [],
          listVersions,
          rulesetVersion: 'test',
          screenedAt: new Date().toISOString(),
        },
      });
      return answer.id;
    };
    const stale = await write({ ...t.service.lists.index.versions(), watch: v1 });
    const current = await write({ ...t.service.lists.index.versions(), watch: v2 });

    await eventually(async () => {
      const v = await t.http.get(`/v1/lists/watch/versions/${v2}`).set(...bearer(t.adminKey));
      return v.body.rescreen?.status === 'completed' || undefined;
    }, 60_000);
    const reviewer = await t.key('reviewer');
    const flagged = await t.http.get(`/v1/declarations/${stale}`).set(...bearer(reviewer));
    expect(flagged.body.status).toBe('under_review');
    expect(flagged.body.screening).toMatchObject({ trigger: 'rescreen', listVersions: { watch: v2 } });
    expect(flagged.body.screening.hits).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'party', listId: 'watch', entryId: 'W-9' })]),
    );
    // Recorded with the version in force: left alone.
    const untouched = await t.http.get(`/v1/declarations/${current}`).set(...bearer(reviewer));
    expect(untouched.body).toMatchObject({ status: 'cleared', previousScreenings: [] });
  });
});
