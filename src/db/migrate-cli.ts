import { loadConfig } from '../config/config';
import { createDataSource } from './data-source';
import { migrateWithLock } from './migrate';
import { startEmbeddedPostgres } from './embedded';
import { migrateAsOwner } from './roles';

/**
 * `npm run migrate`: applies pending migrations to MIGRATION_DATABASE_URL (the owner) if set, else to DATABASE_URL (or the
 * embedded database in DATA_DIR).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.MIGRATION_DATABASE_URL) {
    // Split roles: migrate as the owner and enrol DATABASE_URL's login role in dus_runtime.
    const runtimeUser = decodeURIComponent(new URL(config.DATABASE_URL!).username) || process.env.PGUSER || 'postgres';
    const applied = await migrateAsOwner(config.MIGRATION_DATABASE_URL, runtimeUser);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    return;
  }
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR, 2);
  const dataSource = createDataSource(config.DATABASE_URL ?? embedded!.url, 2);
  await dataSource.initialize();
  try {
    const applied = await migrateWithLock(dataSource);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
