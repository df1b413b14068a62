/** Where the integration tests find the real servers; override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Each jest run has its own template and database names (set by global-setup, inherited by the workers), so two runs
 * on one machine never drop each other's databases.
 */
export function testRunId(): string {
  const id = process.env.DUS_TEST_RUN;
  if (!id) throw new Error('DUS_TEST_RUN is not set: run the tests through jest (its globalSetup sets it)');
  return id;
}

export const templateDb = () => `dus_tpl_${testRunId()}`;
export const testDbPrefix = () => `dus_t_${testRunId()}_`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
