import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import { createDataSource, type EntityClass } from './data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { migrateWithLock } from './migrate';
import { usePreparedStatements } from './prepared';
import { migrateAsOwner } from './roles';

export interface Database {
  dataSource: DataSource;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL in DATA_DIR; then applies migrations (as the owner of
 * MIGRATION_DATABASE_URL when set).
 */
export async function openDatabase(config: Config, entities: readonly EntityClass[]): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  let pool = config.DB_POOL_SIZE;
  if (!url) {
    pool = Math.min(pool, 8);
    embedded = await startEmbeddedPostgres(config.DATA_DIR, pool);
    url = embedded.url;
  }
  // The embedded server ignores startup parameters, and its single session makes lock waits moot.
  const timeouts = embedded
    ? undefined
    : {
        statementMs: config.DB_STATEMENT_TIMEOUT_MS,
        lockMs: config.DB_LOCK_TIMEOUT_MS,
        connectMs: config.DB_CONNECT_TIMEOUT_MS,
      };
  const dataSource = createDataSource(url, pool, timeouts, entities);
  if (!embedded && config.DB_PREPARED_STATEMENTS) usePreparedStatements(dataSource);
  try {
    await dataSource.initialize();
    if (config.MIGRATION_DATABASE_URL && !embedded) {
      // Split roles: the owner migrates; this process keeps only the runtime role's connections.
      const [{ user }] = await dataSource.query(`SELECT current_user AS user`);
      await migrateAsOwner(config.MIGRATION_DATABASE_URL, user);
    } else {
      await migrateWithLock(dataSource);
    }
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    embedded: Boolean(embedded),
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** Readiness: whether the database answers a trivial query. */
export async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.query('SELECT 1 AS ok'))[0].ok === 1;
}
