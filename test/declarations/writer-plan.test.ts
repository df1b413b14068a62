import { randomUUID } from 'node:crypto';
import { createDataSource } from '../../src/db/data-source';
import { usePreparedStatements } from '../../src/db/prepared';
import { loadConfig } from '../../src/config/config';
import { writeNewDeclarationCounted } from '../../src/declarations/declaration-writer';
import { declarationSchema } from '../../src/screening/declaration-input';
import { declaration } from '../support/factories';
import { createTestDatabase } from '../support/test-service';

/**
 * The declaration writer's one statement (of one declaration or of several) is prepared (DB_PREPARED_STATEMENTS) and,
 * after PostgreSQL's five custom plans, runs on its cached generic plan: nothing in it (no per-row subquery) makes a re-planned custom plan look
 * cheaper, so a submission no longer pays for planning the ten-CTE statement every time (issue 15).
 */
describe('declaration writer plan', () => {
  it('runs on a cached generic plan after the first few calls on a connection', async () => {
    const db = await createTestDatabase();
    const ds = createDataSource(db.url, 1);
    await ds.initialize();
    usePreparedStatements(ds);
    const config = loadConfig({}, { BOOTSTRAP_ADMIN_KEY: undefined });
    const keyId = randomUUID();
    try {
      const plans = await ds.transaction(async (m) => {
        for (let i = 0; i < 12; i += 1) {
          const review = i % 2 === 1;
          await writeNewDeclarationCounted(m, config, {
            actor: { keyId, role: 'broker', organization: 'acme' },
            organization: 'acme',
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
        }
        return m.query(
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'write_screened_declarations'`,
        );
      });
      expect(plans).toHaveLength(1);
      expect(plans[0].custom).toBeLessThanOrEqual(5);
      expect(plans[0].generic).toBeGreaterThanOrEqual(7);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM declarations`);
      expect(n).toBe(12);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });

  it('keeps its generic plan for statements of several declarations (a turn of concurrent submissions)', async () => {
    const db = await createTestDatabase();
    // One connection: every statement below runs in the session whose prepared statements are read at the end.
    const ds = createDataSource(db.url, 1);
    await ds.initialize();
    usePreparedStatements(ds);
    const config = loadConfig({}, { BOOTSTRAP_ADMIN_KEY: undefined });
    const keyId = randomUUID();
    try {
      for (let turn = 0; turn < 12; turn += 1) {
        await Promise.all(
          Array.from({ length: 1 + (turn % 4) }, (_, i) =>
            writeNewDeclarationCounted(ds.manager, config, {
              actor: { keyId, role: 'broker', organization: `org-${i % 2}` },
              organization: `org-${i % 2}`,
              submittedBy: keyId,
              input: declarationSchema.parse(declaration()),
              result: {
                outcome: i % 2 ? 'REVIEW' : 'CLEAR',
                riskScore: i % 2 ? 80 : 0,
                hits: [],
                listVersions: {},
                rulesetVersion: 'test',
                screenedAt: new Date().toISOString(),
              },
              trigger: 'submission',
              batchId: null,
            }),
          ),
        );
      }
      const plans = await ds.query(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'write_screened_declarations'`,
      );
      expect(plans).toHaveLength(1);
      expect(plans[0].custom).toBeLessThanOrEqual(5);
      expect(plans[0].generic).toBeGreaterThanOrEqual(7);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM declarations`);
      expect(n).toBe(30);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
