import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, ConfigError } from '../../src/config/config';
import { declaration, submit } from '../support/factories';
import { ADMIN_DATABASE_URL } from '../support/env';
import { bearer, createTestDatabase, eventually, startTestService, type TestService } from '../support/test-service';

async function asAdmin(sql: string): Promise<void> {
  const c = new Client({ connectionString: ADMIN_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  return u.toString();
}

/**
 * The owner (here the postgres superuser) migrates; the service runs as a plain login role that the start-up enrols in
 * dus_runtime. What that role may do to the audit log is what an attacker holding the service's credentials may do.
 */
describe('database role split', () => {
  const role = `dus_t_rt_${randomBytes(4).toString('hex')}`;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t: TestService;
  let runtime: Client;
  beforeAll(async () => {
    await asAdmin(`CREATE ROLE ${role} LOGIN`);
    db = await createTestDatabase();
    t = await startTestService(
      { DATABASE_URL: withUser(db.url, role), MIGRATION_DATABASE_URL: db.url },
      { database: db },
    );
    runtime = new Client({ connectionString: withUser(db.url, role) });
    await runtime.connect();
  }, 60000);
  afterAll(async () => {
    await runtime?.end();
    await t?.close();
    await db?.drop();
    await asAdmin(`DROP ROLE IF EXISTS ${role}`);
  });

  it('runs the service as the runtime role, a member of dus_runtime', async () => {
    const {
      rows: [who],
    } = await runtime.query(`SELECT current_user AS u, pg_has_role(current_user, 'dus_runtime', 'MEMBER') AS member,
      (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`);
    expect(who).toEqual({ u: role, member: true, superuser: false });
    const [{ u }] = await t.service.db.dataSource.query(`SELECT current_user AS u`);
    expect(u).toBe(role);
  });

  it('lets the runtime role append to the audit log but never change, remove or unguard it', async () => {
    await runtime.query(
      `INSERT INTO audit_events (actor, action, subject_type, subject_id) VALUES ('{"keyId":null,"role":"system","organization":null}', 'test.insert', 'test', 'x')`,
    );
    for (const sql of [
      `UPDATE audit_events SET action = 'forged'`,
      `UPDATE audit_events SET seq = 999999, prev_hash = 'x', hash = 'y' WHERE seq IS NULL`,
      `DELETE FROM audit_events`,
      `TRUNCATE audit_events`,
      `UPDATE audit_checkpoints SET hash = 'x'`,
      `DELETE FROM audit_checkpoints`,
      `DELETE FROM audit_verifications`,
      // Pre-sealed or backdated rows would bypass the sealer and the database clock.
      `INSERT INTO audit_events (actor, action, subject_type, subject_id, seq, prev_hash, hash) VALUES ('{}', 'x', 'x', 'x', 999999, 'x', 'y')`,
      `INSERT INTO audit_events (actor, action, subject_type, subject_id, occurred_at) VALUES ('{}', 'x', 'x', 'x', '2001-01-01')`,
    ]) {
      await expect(runtime.query(sql)).rejects.toThrow(/permission denied/);
    }
    await expect(runtime.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(runtime.query(`DROP TRIGGER audit_events_append_only ON audit_events`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(
      runtime.query(
        `CREATE OR REPLACE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      ),
    ).rejects.toThrow(/must be owner|permission denied/);
  });

  it('lets the runtime role seal only through audit_seal, and only as a continuation of the head', async () => {
    await eventually(
      async () =>
        (await runtime.query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL`)).rows[0].n === 0,
    );
    const {
      rows: [head],
    } = await runtime.query(`SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
    const {
      rows: [sealed],
    } = await runtime.query(`SELECT id FROM audit_events WHERE seq = 1`);
    // Re-sealing a sealed row, leaving a gap, or breaking the link is refused inside the owner's function.
    await expect(
      runtime.query(
        `SELECT audit_seal(ARRAY[$1]::bigint[], ARRAY[$2]::bigint[], ARRAY[$3]::text[], ARRAY['f']::text[])`,
        [sealed.id, Number(head.seq) + 1, head.hash],
      ),
    ).rejects.toThrow(/were not unsealed/);
    await runtime.query('BEGIN');
    const {
      rows: [fresh],
    } = await runtime.query(
      `INSERT INTO audit_events (actor, action, subject_type, subject_id) VALUES ('{}', 'test.gap', 'test', 'g') RETURNING id`,
    );
    await expect(
      runtime.query(
        `SELECT audit_seal(ARRAY[$1]::bigint[], ARRAY[$2]::bigint[], ARRAY[$3]::text[], ARRAY['f']::text[])`,
        [fresh.id, Number(head.seq) + 5, head.hash],
      ),
    ).rejects.toThrow(/does not continue the chain head/);
    await runtime.query('ROLLBACK');
  });

  it('works normally: keys, declarations, list imports, sealing, verify, export and checkpoints', async () => {
    const broker = await t.key('broker', 'acme-brokers');
    const auditor = await t.key('auditor', 'authority');
    const res = await submit(t.http, broker, declaration());
    expect(res.status).toBe(201);
    const upload = await t.http
      .post('/v1/lists/house-watch/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'entities-csv')
      .field('kind', 'entities')
      .attach(
        'file',
        Buffer.from(
          'id,name,kind,aliases,countries,programs,identifiers\nW-1,"Vostok Components",organization,,RU,TEST,\n',
        ),
        'w.csv',
      );
    expect(upload.status).toBe(202);
    await eventually(
      async () =>
        (await t.http.get(`/v1/lists/house-watch/versions/${upload.body.versionId}`).set(...bearer(t.adminKey))).body
          .status === 'active',
      60000,
    );

    const full = await t.http.get('/v1/audit/verify?full=true').set(...bearer(auditor));
    expect(full.body).toMatchObject({ ok: true, mode: 'full' });
    expect(full.body.checked).toBeGreaterThan(5);
    expect(full.body.checkpoint.seq).toBe(full.body.headSeq);
    const exported = await t.http.get(`/v1/audit/events?declarationId=${res.body.id}`).set(...bearer(auditor));
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('declaration.');
    const checkpoints = await t.http.get('/v1/audit/checkpoints').set(...bearer(auditor));
    expect(checkpoints.body.items.length).toBeGreaterThan(0);
    const incremental = await t.http.get('/v1/audit/verify').set(...bearer(auditor));
    expect(incremental.body).toMatchObject({ ok: true, mode: 'incremental' });
  });

  it('starts a process that has only the runtime credentials once the owner has migrated (as docker-compose runs it)', async () => {
    const second = await startTestService({ DATABASE_URL: withUser(db.url, role) }, { database: db });
    try {
      const [{ u }] = await second.service.db.dataSource.query(`SELECT current_user AS u`);
      expect(u).toBe(role);
      await second.key('reviewer', 'authority');
      expect((await second.http.get('/v1/audit/verify').set(...bearer(second.adminKey))).body).toMatchObject({
        ok: true,
      });
    } finally {
      await second.close();
    }
  });

  it('refuses MIGRATION_DATABASE_URL without DATABASE_URL', () => {
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@localhost/db' })).toThrow(ConfigError);
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: 'not a key' })).toThrow(/AUDIT_SIGNING_KEY/);
    expect(() => loadConfig({ AUDIT_TRUSTED_PUBLIC_KEYS: 'AAAA' })).toThrow(/AUDIT_TRUSTED_PUBLIC_KEYS/);
  });
});
