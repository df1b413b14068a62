import { z } from 'zod';
import { DEFAULT_DOCUMENT_TYPES, SNIFFABLE_TYPES } from './document-types';
import { parseEd25519PrivateKey, parseEd25519PublicKey } from './ed25519-keys';

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
  /** API processes under node:cluster sharing PORT, each with its own list index (1: the API runs in this process alone). */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** Address the API binds to. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL URL; unset means the embedded PostgreSQL (PGlite) in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** PostgreSQL URL of the schema owner, used only to migrate; DATABASE_URL is then the runtime role (see "Tamper evidence"). */
  MIGRATION_DATABASE_URL: z.string().url().optional(),
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
  /** Largest document attached to a declaration (POST /v1/declarations/{id}/documents), in bytes; bigger is 413. */
  DOCUMENT_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Document types accepted, comma-separated, as sniffed from the bytes (never the name or declared type); a subset of the recognised ones. */
  DOCUMENT_TYPES: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? DEFAULT_DOCUMENT_TYPES.join(','))
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine(
      (types) => types.length > 0 && types.every((t) => (SNIFFABLE_TYPES as readonly string[]).includes(t)),
      `must be a comma-separated subset of ${SNIFFABLE_TYPES.join(', ')} (the types the document sniffer recognises)`,
    ),
  /** Request units per minute for one API key (a batch counts one per declaration); shared by every process through Redis when REDIS_URL is set. */
  RATE_LIMIT_PER_MINUTE: positiveInt.default(6000),
  /** Failed authentications per minute from one client address (IPv6: its /64) before it gets 429 without its key being looked up. */
  AUTH_FAILURES_PER_MINUTE: positiveInt.default(20),
  /** Prefix of the rate-limit counters in Redis (default: QUEUE_PREFIX + ":rl:"); processes sharing it share the limits. */
  RATE_LIMIT_PREFIX: z.string().min(1).optional(),
  /** Milliseconds an authenticated API key is cached per process (0: ask the database on every request); revocations reach every process at once by NOTIFY. */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (at least 16 characters); unset, it is public. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Milliseconds between refreshes of the metrics that need a query (queue depth, list freshness); a scrape itself queries nothing. */
  METRICS_REFRESH_MS: positiveInt.default(15_000),
  /** Minutes between two writes of an API key's lastUsedAt (coarse on purpose: no write per request; 0 turns it off). */
  API_KEY_LAST_USED_MINUTES: z.coerce.number().min(0).max(1440).default(5),
  /** PostgreSQL connection pool size per process. */
  DB_POOL_SIZE: positiveInt.default(20),
  /** Milliseconds one SQL statement may run before PostgreSQL cancels it (503 to the client; 0: no limit). Migrations and audit exports are exempt. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  /** Milliseconds a statement may wait for a lock (503 to the client; 0: no limit). */
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Keep the hot statements prepared on each pooled connection (false behind a transaction-pooling proxy such as PgBouncer); never for the embedded database. */
  DB_PREPARED_STATEMENTS: bool.default(true),
  /** Milliseconds to wait for a free pool connection before answering 503. */
  DB_CONNECT_TIMEOUT_MS: positiveInt.default(10_000),
  /** Prefix of every BullMQ key in Redis (lets several deployments share one Redis). */
  QUEUE_PREFIX: z.string().min(1).default('dus'),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: positiveInt.default(8),
  /** Run background jobs inside the API process (always true without REDIS_URL). */
  RUN_JOBS_IN_API: bool.default(false),
  /** Milliseconds a worker's hold on a job lasts without renewal; a crashed worker's jobs go to others after it. */
  JOB_LOCK_MS: positiveInt.default(30000),
  /** Milliseconds one in-process job attempt (no Redis, or embedded) may run before it counts as failed and its lease ends. */
  JOB_TIMEOUT_MS: positiveInt.default(600000),
  /** Milliseconds unfinished work (importing version, queued/running re-screen, queued/processing batch) may sit without a live job before the reconciler re-queues it. */
  RECONCILE_AFTER_MS: positiveInt.default(300000),
  /** Milliseconds between reconciler passes (run by the processes that run jobs, one at a time per database). */
  RECONCILE_INTERVAL_MS: positiveInt.default(60000),
  /** First retry delay of a failed batch chunk, in milliseconds; doubles on each of the 10 attempts, then the batch fails. */
  BATCH_RETRY_BASE_MS: positiveInt.default(1000),
  /** Milliseconds between audit-chain sealing rounds (in the processes that run jobs). */
  AUDIT_SEAL_INTERVAL_MS: positiveInt.default(500),
  /** Ed25519 private key signing audit checkpoints (PEM or base64 PKCS#8 DER); unset: DATA_DIR/audit-signing-key.pem, made once. */
  AUDIT_SIGNING_KEY: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || parses(() => parseEd25519PrivateKey(v)),
      'must be an Ed25519 private key (PEM or base64 PKCS#8 DER)',
    ),
  /** Earlier checkpoint public keys still trusted after a key rotation: comma-separated base64 SubjectPublicKeyInfo DER. */
  AUDIT_TRUSTED_PUBLIC_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine(
      (keys) => keys.every((k) => parses(() => parseEd25519PublicKey(k))),
      'must be comma-separated base64 Ed25519 public keys (SPKI DER)',
    ),
  /** Minutes between signed checkpoints of the audit chain head (fractions allowed); exports and verifications also sign one. */
  AUDIT_CHECKPOINT_MINUTES: positiveNumber.default(5),
  /** Milliseconds between outbox polls (the relay is also woken right after each commit). */
  OUTBOX_POLL_MS: positiveInt.default(1000),
  /** Milliseconds between checks for newly activated list versions (each process reloads its index). */
  LIST_REFRESH_MS: positiveInt.default(2000),
  /** Party queries (name, country, identifiers, options) whose answers each process keeps for the lists in force, least recently used dropped first; 0 keeps none. */
  MATCH_CACHE_QUERIES: z.coerce.number().int().min(0).max(1_000_000).default(10000),
  /** Milliseconds a screening waits for this process to load a just-activated list version before answering 503 with Retry-After. */
  LIST_WAIT_MS: positiveInt.default(5000),
  /** Shipped default list sources (OFAC, UN, EU, US CSL, UK): `on` installs them if absent and fetches them, `off` neither. */
  LIST_SOURCES: z.enum(['on', 'off']).default('on'),
  /** Percent of the active version's entries a new version may remove and still activate; more makes it `held`. */
  LIST_SHRINK_GUARD_PERCENT: z.coerce.number().min(0).max(100).default(10),
  /** Milliseconds between looks for list sources due a fetch (in processes that run jobs). */
  LIST_SOURCES_POLL_MS: positiveInt.default(30000),
  /** Milliseconds one source fetch (every part, bodies included) may take before it is abandoned. */
  LIST_FETCH_TIMEOUT_MS: positiveInt.default(120000),
  /** Largest fetched list (all parts together), in bytes; a bigger answer is an error and keeps the active version. */
  LIST_FETCH_MAX_BYTES: positiveInt.default(256 * 1024 * 1024),
  /** First retry delay of a failed source fetch, in milliseconds; doubles on each of the 4 attempts. */
  LIST_FETCH_RETRY_BASE_MS: positiveInt.default(30000),
  /** Path of the screening rule set (bands, weights, country sets, keywords); default config/ruleset.json. */
  RULESET_PATH: z.string().min(1).optional(),
  /** CSV of national tariff codes (first column, 7 to 10 digits): when set, declared codes past six digits must be in it (else an indicator hit). */
  NATIONAL_TARIFF_FILE: z.string().min(1).optional(),
  /** Minutes a reviewer has to decide a critical (BLOCK-level) case (fractions allowed: 0.05 is 3 seconds, for drills and tests). */
  CASE_SLA_MINUTES_CRITICAL: positiveNumber.default(60),
  /** Minutes to decide a high-priority case (REVIEW with risk score 70 or more). */
  CASE_SLA_MINUTES_HIGH: positiveNumber.default(240),
  /** Minutes to decide a normal case (REVIEW with risk score 40-69). */
  CASE_SLA_MINUTES_NORMAL: positiveNumber.default(1440),
  /** Minutes to decide a low-priority case (REVIEW from a party hit with a low overall risk score). */
  CASE_SLA_MINUTES_LOW: positiveNumber.default(4320),
  /** Milliseconds between SLA sweeps: each marks the undecided cases past their deadline overdue, one priority step up (run by the processes that run jobs). */
  CASE_SLA_SWEEP_MS: positiveInt.default(5000),
  /** Minutes a claim on a case lasts; reading or deciding the case renews it, and an expired claim returns the case to the queue. */
  CASE_LEASE_MINUTES: positiveInt.default(15),
  /** Hours a broker has to answer a request for information before the case escalates to the supervisors (fractions allowed: 0.001 is 3.6 seconds, for tests). */
  INFO_REQUEST_TIMEOUT_HOURS: positiveNumber.default(72),
  /** Days a false-positive mark (allow-list entry) suppresses its hit before it expires. */
  ALLOW_LIST_DAYS: positiveInt.default(365),
  /** Days back a cleared declaration is still re-screened when a list version activates (open and held ones always are). */
  RESCREEN_LOOKBACK_DAYS: positiveInt.default(30),
  /** Declarations a re-screening run reads and checks per step (progress is saved after each). */
  RESCREEN_CHUNK_SIZE: positiveInt.max(10000).default(1000),
  /** Milliseconds after an activation before the re-screen's catch-up pass looks for screenings recorded with an older version (lets requests in flight at the switch commit). */
  RESCREEN_CATCHUP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  /** Milliseconds to wait for in-flight requests and jobs on shutdown. */
  SHUTDOWN_GRACE_MS: positiveInt.default(10000),
  /** Let webhooks target loopback, private and other non-public addresses (tests, closed networks only). */
  WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
  /** Lowest minScore a broker may pass to POST /v1/screen/parties (the enhanced-due-diligence band); below it is 400. */
  SCREEN_BROKER_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.7),
  /** Matches per party returned to a broker by POST /v1/screen/parties (staff get up to 20). */
  SCREEN_BROKER_MAX_MATCHES: z.coerce.number().int().min(1).max(20).default(5),
  /** Most active webhooks one organisation may have (another registration is 409 webhook_limit_reached). */
  WEBHOOKS_PER_ORGANIZATION: positiveInt.default(20),
  /** First retry delay of a failed webhook delivery, in milliseconds; doubles on each of the 8 attempts. */
  WEBHOOK_RETRY_BASE_MS: positiveInt.default(5000),
});

function parses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once; a bad value throws a ConfigError naming each variable at fault. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Config {
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
  if (parsed.data.MIGRATION_DATABASE_URL && !parsed.data.DATABASE_URL) {
    throw new ConfigError([
      'MIGRATION_DATABASE_URL: needs DATABASE_URL (the embedded database has one role, so there is nothing to split)',
    ]);
  }
  if (parsed.data.API_PROCESSES > 1 && !parsed.data.DATABASE_URL) {
    throw new ConfigError([
      'API_PROCESSES: more than one API process needs DATABASE_URL (the embedded database belongs to one process)',
    ]);
  }
  return Object.freeze(parsed.data);
}

export function isEmbedded(config: Config): boolean {
  return !config.DATABASE_URL;
}
