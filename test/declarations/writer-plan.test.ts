import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { usePreparedStatements } from '../../src/db/prepared';
import { loadConfig } from '../../src/config/config';
import { writeNewDeclarationCounted, type NewDeclaration } from '../../src/declarations/declaration-writer';
import { claimIdempotencyKeys } from '../../src/declarations/idempotency.repository';
import { declarationSchema } from '../../src/screening/declaration-input';
import { declaration } from '../support/factories';
import { createTestDatabase } from '../support/test-service';

/**
 * The declaration writer's one statement (of one declaration or of several) is prepared (DB_PREPARED_STATEMENTS) and,
 * after PostgreSQL's five custom plans, runs on its cached generic plan: nothing in it makes a re-planned custom plan
 * look cheaper, so a submission no longer pays for planning the many-CTE statement every time (issue 15).
 */
describe('declaration writer plan', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const config = loadConfig({}, { BOOTSTRAP_ADMIN_KEY: undefined });
  const keyId = randomUUID();

  beforeEach(async () => {
    db = await createTestDatabase();
    // One connection: every statement runs in the session whose prepared statements are read at the end.
    ds = createDataSource(db.url, 1);
    await ds.initialize();
    usePreparedStatements(ds);
  });
  afterEach(async () => {
    await ds.destroy();
    await db.drop();
  });

  const newDeclaration = (organization: string, review: boolean): NewDeclaration => ({
    actor: { keyId, role: 'broker', organization },
    organization,
    submittedBy: keyId,
    input: declarationSchema.parse(declaration()),
    result: {
      outcome: review ? 'REVIEW' : 'CLEAR',
      riskScore: review ? 80 : 0,
      hits: [],
      listVersions: {},
      rulesetVersion: 'test',
      screenedAt: new Date().toISOString(),
    },
    trigger: 'submission',
    batchId: null,
  });

  /** Custom and generic plans made so far for the writer's statement, and the declarations written. */
  const plans = async (m: EntityManager) => ({
    plans: await m.query(
      `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'write_screened_declarations'`,
    ),
    written: (await m.query(`SELECT count(*)::int AS n FROM declarations`))[0].n,
  });

  const expectGeneric = (p: Awaited<ReturnType<typeof plans>>, written: number) => {
    expect(p.plans).toHaveLength(1);
    expect(p.plans[0].custom).toBeLessThanOrEqual(5);
    expect(p.plans[0].generic).toBeGreaterThanOrEqual(7);
    expect(p.written).toBe(written);
  };

  it('runs on a cached generic plan after the first few calls on a connection', async () => {
    const p = await ds.transaction(async (m) => {
      for (let i = 0; i < 12; i += 1) await writeNewDeclarationCounted(m, config, newDeclaration('acme', i % 2 === 1));
      return plans(m);
    });
    expectGeneric(p, 12);
  });

  it('keeps its generic plan for statements of several declarations (a turn of concurrent submissions)', async () => {
    for (let turn = 0; turn < 12; turn += 1) {
      await Promise.all(
        Array.from({ length: 1 + (turn % 4) }, (_, i) =>
          writeNewDeclarationCounted(ds.manager, config, newDeclaration(`org-${i % 2}`, i % 2 === 1)),
        ),
      );
    }
    expectGeneric(await plans(ds.manager), 30);
  });

  it('stores the idempotent answer through the key, however many keys the plan was made without', async () => {
    // The generic plan is made while the table holds a handful of keys (as on a fresh database that nothing analyses).
    const claim = (i: number) => claimIdempotencyKeys(ds, [{ organization: 'acme', key: `plan-${i}`, hash: `h${i}` }]);
    const write = (m: EntityManager, i: number) =>
      writeNewDeclarationCounted(m, config, {
        ...newDeclaration('acme', i % 2 === 1),
        idempotency: { key: `plan-${i}`, requestHash: `h${i}` },
      });
    for (let i = 0; i < 12; i += 1) {
      await claim(i);
      await write(ds.manager, i);
    }
    // Then the table grows: 20,000 other keys.
    await ds.query(
      `INSERT INTO idempotency_keys (organization, key, request_hash, status) SELECT 'other', 'k' || g, 'h', 'done' FROM generate_series(1, 20000) g`,
    );
    for (let i = 12; i < 17; i += 1) await claim(i);
    const read = await ds.transaction(async (m) => {
      for (let i = 12; i < 17; i += 1) await write(m, i);
      return (
        await m.query(
          `SELECT seq_scan::int AS scans, seq_tup_read::int AS rows FROM pg_stat_xact_user_tables WHERE relname = 'idempotency_keys'`,
        )
      )[0];
    });
    expectGeneric(await plans(ds.manager), 17);
    // Five answers stored without reading the other keys.
    expect(read.rows).toBeLessThan(100);
    const stored = await ds.query(
      `SELECT key, request_hash, status, response_status, response_body->>'id' AS id FROM idempotency_keys WHERE organization = 'acme' ORDER BY key`,
    );
    expect(stored).toHaveLength(17);
    for (const row of stored) {
      expect(row).toMatchObject({ status: 'done', response_status: 201, request_hash: `h${row.key.slice(5)}` });
      expect(row.id).toEqual(expect.any(String));
    }
  });
});
