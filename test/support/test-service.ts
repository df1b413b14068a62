import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { loadConfig, type Config } from '../../src/config/config';
import { createService, type ProcessRole, type Service } from '../../src/composition';
import { ADMIN_DATABASE_URL, databaseUrl, templateDb, testDbPrefix, TEST_REDIS_URL } from './env';

export interface TestService {
  service: Service;
  config: Config;
  http: TestAgent;
  adminKey: string;
  databaseUrl: string;
  /** Creates a key through the API and returns its secret; reviewer, supervisor and admin keys get a person of their own unless one is named. */
  key(role: string, organization?: string, person?: string): Promise<string>;
  close(): Promise<void>;
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One checkpoint signing key per test file, as a deployment configures one (AUDIT_SIGNING_KEY) for all its processes. */
export const TEST_AUDIT_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');

/** A fresh database copied from the migrated template. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${testDbPrefix()}${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb()}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A complete service on its own database and its own BullMQ prefix, with jobs processed in-process unless the
 * overrides say otherwise. Real Postgres and Redis, as in production.
 */
export async function startTestService(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  options: { role?: ProcessRole; database?: { url: string; drop(): Promise<void> } } = {},
): Promise<TestService> {
  const db = options.database ?? (await createTestDatabase());
  // One bootstrap secret per database: the bootstrap key is made only while no admin key exists (never revived), so a
  // second service on the same database must present the first one's secret.
  const adminKey = `test-admin-${createHash('sha256').update(new URL(db.url).pathname).digest('hex').slice(0, 32)}`;
  const config = loadConfig(
    {},
    {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      BOOTSTRAP_ADMIN_KEY: adminKey,
      QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      RUN_JOBS_IN_API: 'true',
      AUDIT_SEAL_INTERVAL_MS: 100,
      OUTBOX_POLL_MS: 100,
      CASE_SLA_SWEEP_MS: 200,
      LIST_REFRESH_MS: 200,
      RESCREEN_CATCHUP_DELAY_MS: 500,
      DB_POOL_SIZE: 5,
      // Tests never reach the internet: no shipped default sources (a test's own sources point at a local server).
      LIST_SOURCES: 'off',
      AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
      ...overrides,
    },
  );
  const service = await createService(config, options.role ?? 'api');
  await service.start();
  const http = request(service.app!);
  return {
    service,
    config,
    http,
    adminKey,
    databaseUrl: db.url,
    async key(role, organization = 'acme-brokers', person = testPerson(role)) {
      const res = await http
        .post('/v1/api-keys')
        .set('Authorization', `Bearer ${adminKey}`)
        .send({ name: `${role} key`, role, organization, person });
      if (res.status !== 201)
        throw new Error(`creating a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.secret as string;
    },
    async close() {
      await service.close();
      if (!options.database) await db.drop();
    },
  };
}

/** A person of their own for each personal key (reviewer, supervisor, admin), so four-eyes sees different people. */
export function testPerson(role: string): string | undefined {
  return ['reviewer', 'supervisor', 'admin'].includes(role)
    ? `${role}-${randomBytes(4).toString('hex')}@test.example`
    : undefined;
}

export function bearer(key: string): [string, string] {
  return ['Authorization', `Bearer ${key}`];
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 15000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
