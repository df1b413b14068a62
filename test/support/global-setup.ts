import { ENTITIES } from '../../src/entities';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { createDataSource, runMigrations } from '../../src/db/data-source';
import { UnitOfWork } from '../../src/db/unit-of-work';
import { ListsService } from '../../src/lists/lists.service';
import { seedLists } from '../../src/lists/seed';
import { rescreenHook } from '../../src/rescreen/rescreen-runs';
import { ADMIN_DATABASE_URL, databaseUrl, templateDb } from './env';

/**
 * Migrates a template database once per run; each test file then gets its own copy (CREATE DATABASE ... TEMPLATE),
 * so test files run in parallel without seeing each other's rows. The template also holds the seed lists, as a service
 * would write them at its first start: importing the UN list (1,003 entries from 2 MB of XML) in every test service
 * would add about a second to each of them; copies get the rows for free and find the lists already seeded.
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
  const dataSource = createDataSource(databaseUrl(templateDb()), 2, undefined, ENTITIES);
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const lists = new ListsService(
      dataSource,
      new UnitOfWork(dataSource),
      pino({ level: 'silent' }),
      () => undefined,
      rescreenHook,
    );
    await seedLists(dataSource, lists);
    // The seeds' delta re-screens have nothing to screen (the template holds no declaration). Settled here, they do not
    // run again in every copy, where their audit events would land at random moments in each test's own events.
    await dataSource.query(`UPDATE rescreen_runs SET status = 'completed', candidates = 0, processed = 0, flagged = 0,
      started_at = now(), finished_at = now() WHERE status = 'queued'`);
    await dataSource.query(
      `UPDATE outbox SET status = 'done', finished_at = now() WHERE job_name = 'lists.rescreen' AND status = 'pending'`,
    );
  } finally {
    await dataSource.destroy();
  }
}
