import { ENTITIES } from '../../src/entities';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { createTestDatabase } from '../support/test-service';

/**
 * Migration 1764191000000 on a database that already holds data: the rows an older release wrote get persons, decisions
 * their deciders' persons, false-positive marks the organisation of their source declaration.
 */
describe('access migration on existing data', () => {
  it('gives keys, decisions and marks their persons and scopes, and reverts cleanly', async () => {
    const db = await createTestDatabase();
    const ds = createDataSource(db.url, 2, undefined, ENTITIES);
    await ds.initialize();
    try {
      // Back to the schema before this migration (later migrations, if any, are undone first).
      for (;;) {
        const [last] = await ds.query(`SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1`);
        await ds.undoLastMigration();
        if (last.name === 'Access1764191000000') break;
      }
      const [boot] = await ds.query(
        `INSERT INTO api_keys (name, role, organization, secret_hash, secret_prefix) VALUES ('bootstrap admin', 'admin', 'customs-authority', 'h0', 'p0') RETURNING id`,
      );
      const [rev] = await ds.query(
        `INSERT INTO api_keys (name, role, organization, secret_hash, secret_prefix, created_by) VALUES ('r', 'reviewer', 'customs-authority', 'h1', 'p1', $1) RETURNING id`,
        [boot.id],
      );
      const [brk] = await ds.query(
        `INSERT INTO api_keys (name, role, organization, secret_hash, secret_prefix, created_by) VALUES ('b', 'broker', 'acme', 'h2', 'p2', $1) RETURNING id`,
        [boot.id],
      );
      const [d] = await ds.query(
        `INSERT INTO declarations (organization, reference, procedure, body, status, submitted_by) VALUES ('acme', 'R-1', 'export', '{}', 'released', $1) RETURNING id`,
        [brk.id],
      );
      const [c] = await ds.query(
        `INSERT INTO review_cases (declaration_id, organization, status, level, priority, risk_score, deadline) VALUES ($1, 'acme', 'closed', 'REVIEW', 3, 50, now()) RETURNING id`,
        [d.id],
      );
      const [x] = await ds.query(
        `INSERT INTO case_decisions (case_id, declaration_id, action, level, reason, decided_by, decided_by_role, approval)
        VALUES ($1, $2, 'release', 'REVIEW', 'fine', $3, 'reviewer', 'not_required') RETURNING id`,
        [c.id, d.id, rev.id],
      );
      const [mark] = await ds.query(
        `INSERT INTO allow_list_entries (party_fingerprint, list_id, entry_id, entry_hash, party, hit_id, case_id, declaration_id, decision_id, reason, created_by, created_by_role, expires_at)
        VALUES ('fp', 'watch', 'E1', 'hash', '{}', 'p-1', $1, $2, $3, 'fine', $4, 'reviewer', now() + interval '1 year') RETURNING id`,
        [c.id, d.id, x.id, rev.id],
      );

      await runMigrations(ds);
      const keys = await ds.query(`SELECT id, person, bootstrap FROM api_keys ORDER BY created_at, id`);
      expect(keys.find((k: { id: string }) => k.id === boot.id)).toEqual({
        id: boot.id,
        person: 'bootstrap-admin',
        bootstrap: true,
      });
      expect(keys.find((k: { id: string }) => k.id === rev.id)).toEqual({
        id: rev.id,
        person: `key:${rev.id}`,
        bootstrap: false,
      });
      expect(keys.find((k: { id: string }) => k.id === brk.id)).toEqual({ id: brk.id, person: null, bootstrap: false });
      expect(
        (await ds.query(`SELECT decided_by_person, false_positive_scope FROM case_decisions WHERE id = $1`, [x.id]))[0],
      ).toEqual({ decided_by_person: `key:${rev.id}`, false_positive_scope: 'organization' });
      expect((await ds.query(`SELECT scope FROM allow_list_entries WHERE id = $1`, [mark.id]))[0].scope).toBe('acme');
      // The database holds the rule too: no reviewer key without a person.
      await expect(
        ds.query(
          `INSERT INTO api_keys (name, role, organization, secret_hash, secret_prefix) VALUES ('x', 'supervisor', 'a', 'h3', 'p3')`,
        ),
      ).rejects.toThrow(/api_keys_person_required/);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  }, 60000);
});
