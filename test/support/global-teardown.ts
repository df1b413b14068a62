import { Client } from 'pg';
import { ADMIN_DATABASE_URL, templateDb, testDbPrefix } from './env';

/** Drops this run's template and any database a failed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [
      `${testDbPrefix()}%`,
      templateDb(),
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
