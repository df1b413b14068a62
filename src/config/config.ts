import { z } from 'zod';

/** A boolean env var: "true"/"1"/"yes" or "false"/"0"/"no"; anything else is an error naming the variable. */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const positiveNumber = z.coerce.number().positive();

/**
 * Every setting the service reads, with its default and meaning. The README's configuration table mirrors this.
 * Empty strings count as unset so `FOO= npm start` falls back to the default.
 */
export const configSchema = z.object({
  /** HTTP port the API listens on. */
  PORT: port.default(8080),
  /** Address the API binds to. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL URL; unset means the embedded PostgreSQL (PGlite) in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Redis URL for BullMQ; unset means background jobs run in-process from the outbox table. */
  REDIS_URL: z.string().url().optional(),
  /** Directory of the embedded database (used only without DATABASE_URL). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Secret of an admin API key made at start while no active admin key exists (at least 24 characters); never restored once revoked. */
  BOOTSTRAP_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Organisation that owns the bootstrap admin key (the customs authority). */
  BOOTSTRAP_ADMIN_ORGANIZATION: z.string().min(1).default('customs-authority'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest JSON body accepted on ordinary endpoints, in bytes. */
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  /** Largest JSON body accepted on batch endpoints, in bytes. */
  BATCH_BODY_LIMIT_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Largest list file upload (all parts together), in bytes; bigger files go through `npm run lists:import`. */
  UPLOAD_LIMIT_BYTES: positiveInt.default(64 * 1024 * 1024),
  /** Requests per minute allowed for one API key. */
  RATE_LIMIT_PER_MINUTE: positiveInt.default(6000),
  /** Milliseconds an authenticated API key is cached per process (0: ask the database on every request); revocations reach every process at once by NOTIFY. */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Minutes between two writes of an API key's lastUsedAt (coarse on purpose: no write per request; 0 turns it off). */
  API_KEY_LAST_USED_MINUTES: z.coerce.number().min(0).max(1440).default(5),
  /** PostgreSQL connection pool size per process. */
  DB_POOL_SIZE: positiveInt.default(20),
  /** Prefix of every BullMQ key in Redis (lets several deployments share one Redis). */
  QUEUE_PREFIX: z.string().min(1).default('dus'),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: positiveInt.default(8),
  /** Run background jobs inside the API process (always true without REDIS_URL). */
  RUN_JOBS_IN_API: bool.default(false),
  /** Milliseconds a worker's hold on a job lasts without renewal; a crashed worker's jobs go to others after it. */
  JOB_LOCK_MS: positiveInt.default(30000),
  /** Milliseconds between audit-chain sealing rounds. */
  AUDIT_SEAL_INTERVAL_MS: positiveInt.default(500),
  /** Milliseconds between outbox polls (the relay is also woken right after each commit). */
  OUTBOX_POLL_MS: positiveInt.default(1000),
  /** Milliseconds between checks for newly activated list versions (each process reloads its index). */
  LIST_REFRESH_MS: positiveInt.default(2000),
  /** Path of the screening rule set (bands, weights, country sets, keywords); default config/ruleset.json. */
  RULESET_PATH: z.string().min(1).optional(),
  /** Minutes a reviewer has to decide a critical (BLOCK-level) case (fractions allowed: 0.05 is 3 seconds, for drills and tests). */
  CASE_SLA_MINUTES_CRITICAL: positiveNumber.default(60),
  /** Minutes to decide a high-priority case (REVIEW with risk score 70 or more). */
  CASE_SLA_MINUTES_HIGH: positiveNumber.default(240),
  /** Minutes to decide a normal case (REVIEW with risk score 40-69). */
  CASE_SLA_MINUTES_NORMAL: positiveNumber.default(1440),
  /** Minutes to decide a low-priority case (REVIEW from a party hit with a low overall risk score). */
  CASE_SLA_MINUTES_LOW: positiveNumber.default(4320),
  /** Minutes a claim on a case lasts; reading or deciding the case renews it, and an expired claim returns the case to the queue. */
  CASE_LEASE_MINUTES: positiveInt.default(15),
  /** Days a false-positive mark (allow-list entry) suppresses its hit before it expires. */
  ALLOW_LIST_DAYS: positiveInt.default(365),
  /** Days back a cleared declaration is still re-screened when a list version activates (open and held ones always are). */
  RESCREEN_LOOKBACK_DAYS: positiveInt.default(30),
  /** Declarations a re-screening run reads and checks per step (progress is saved after each). */
  RESCREEN_CHUNK_SIZE: positiveInt.max(10000).default(1000),
  /** Milliseconds to wait for in-flight requests and jobs on shutdown. */
  SHUTDOWN_GRACE_MS: positiveInt.default(10000),
  /** Let webhooks target loopback, private and other non-public addresses (tests, closed networks only). */
  WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
  /** First retry delay of a failed webhook delivery, in milliseconds; doubles on each of the 8 attempts. */
  WEBHOOK_RETRY_BASE_MS: positiveInt.default(5000),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once; a bad value throws a ConfigError naming each variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  Object.assign(raw, overrides);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return Object.freeze(parsed.data);
}

export function isEmbedded(config: Config): boolean {
  return !config.DATABASE_URL;
}
