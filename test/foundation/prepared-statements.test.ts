import { QueryFailedError, type DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { prepared, queryPrepared, usePreparedStatements } from '../../src/db/prepared';
import { createTestDatabase } from '../support/test-service';

/** Named statements (DB_PREPARED_STATEMENTS): parsed and planned once per connection, the same rows and errors as `query`. */
describe('prepared statements', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let withNames: DataSource;
  let plain: DataSource;
  const insert = prepared(
    'test_insert_key',
    `INSERT INTO idempotency_keys (organization, key, request_hash, status) VALUES ($1, $2, 'h', 'in_flight') RETURNING key`,
  );

  beforeAll(async () => {
    db = await createTestDatabase();
    withNames = createDataSource(db.url, 1);
    plain = createDataSource(db.url, 1);
    await Promise.all([withNames.initialize(), plain.initialize()]);
    usePreparedStatements(withNames);
  });
  afterAll(async () => {
    await Promise.all([withNames.destroy(), plain.destroy()]);
    await db.drop();
  });

  /** The named statements the connection of this manager's transaction holds. */
  const held = async (ds: DataSource, work: (m: import('typeorm').EntityManager) => Promise<unknown>) =>
    ds.transaction(async (m) => {
      await work(m);
      const rows: Array<{ name: string }> = await m.query(`SELECT name FROM pg_prepared_statements ORDER BY name`);
      return rows.map((r) => r.name);
    });

  it('prepares the statement once on a connection and runs it again by name', async () => {
    const names = await held(withNames, async (m) => {
      expect(await queryPrepared(m, insert, ['org-p', 'k1'])).toEqual([{ key: 'k1' }]);
      expect(await queryPrepared(m, insert, ['org-p', 'k2'])).toEqual([{ key: 'k2' }]);
    });
    expect(names).toEqual(['test_insert_key']);
    // Outside a transaction (a connection taken from the pool for the call), on the same single-connection pool.
    expect(await queryPrepared(withNames.manager, insert, ['org-p', 'k3'])).toEqual([{ key: 'k3' }]);
    expect(await held(withNames, async () => undefined)).toEqual(['test_insert_key']);
  });

  it('runs the same text as an ordinary query where named statements are off', async () => {
    const names = await held(plain, async (m) => {
      expect(await queryPrepared(m, insert, ['org-q', 'k1'])).toEqual([{ key: 'k1' }]);
    });
    expect(names).toEqual([]);
  });

  it('fails with the QueryFailedError and SQLSTATE that `query` gives', async () => {
    for (const ds of [withNames, plain]) {
      const err = await queryPrepared(ds.manager, insert, ['org-p', 'k1']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryFailedError);
      expect(err).toMatchObject({ code: '23505', constraint: 'idempotency_keys_pkey' });
    }
  });
});
