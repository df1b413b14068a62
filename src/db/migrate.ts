import type { DataSource } from 'typeorm';
import { runMigrations } from './data-source';

/** Any stable number: processes starting together take turns to migrate. */
const MIGRATION_LOCK = 7261_0002;

/** Applies pending migrations under a session advisory lock so parallel starts (API + workers) do not race. */
export async function migrateWithLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK]);
    return await runMigrations(dataSource);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
