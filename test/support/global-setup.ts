import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { ADMIN_DATABASE_URL, databaseUrl, templateDb } from './env';

/**
 * Migrates a template database once per run; each test file then gets its own copy (CREATE DATABASE ... TEMPLATE),
 * so test files run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  process.env.DUS_TEST_RUN = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${templateDb()}"`);
  } finally {
    await admin.end();
  }
  const dataSource = createDataSource(databaseUrl(templateDb()), 2);
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
