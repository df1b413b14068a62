import type { Express } from 'express';
import type { Logger } from 'pino';
import { isEmbedded, type Config } from './config/config';
import { openDatabase, type Database } from './db/database';
import { UnitOfWork } from './db/unit-of-work';
import { createLogger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { ApiKeysService } from './auth/api-keys.service';
import { KeyCache } from './auth/key-cache';
import { apiKeyRoutes } from './auth/api-keys.routes';
import { authenticate, authorize, perKeyRateLimit } from './auth/auth.middleware';
import { auditRoutes } from './audit/audit.routes';
import { startSealer } from './audit/audit-sealer';
import { consoleRouter } from './console/console.routes';
import { createApp } from './http/app';
import { createRegistry } from './http/openapi';
import { assertHandlers, JOB_POLICIES, type JobHandlers } from './jobs/catalogue';
import type { JobRunner } from './jobs/job-runner';
import { InProcessJobRunner } from './jobs/in-process-runner';
import { BullMqJobRunner } from './jobs/bullmq-runner';
import { createListsFeature, type ListsFeature } from './lists/lists.feature';
import { createDeclarationsFeature, type DeclarationsFeature } from './declarations/declarations.feature';
import { loadRuleset } from './screening/ruleset';
import { screeningRoutes } from './screening/screening.routes';
import { createWebhooksFeature } from './webhooks/webhooks.feature';
import { createAllowListFeature, type AllowListFeature } from './allow-list/allow-list.feature';
import { createCasesFeature, type CasesFeature } from './cases/cases.feature';
import { createRescreenFeature } from './rescreen/rescreen.feature';
import { createStatsFeature, type StatsFeature } from './stats/stats.feature';

export type ProcessRole = 'api' | 'worker';

export interface Service {
  config: Config;
  logger: Logger;
  db: Database;
  uow: UnitOfWork;
  metrics: Metrics;
  jobs: JobRunner;
  keys: ApiKeysService;
  lists: ListsFeature;
  declarations: DeclarationsFeature;
  cases: CasesFeature;
  allowList: AllowListFeature;
  stats: StatsFeature;
  /** Present in the API role. */
  app?: Express;
  /** Starts the background loops (job relay/processing, audit sealer, list index refresh). */
  start(): Promise<void>;
  /** Stops the background loops, finishing in-flight jobs, and closes the database. */
  close(): Promise<void>;
}

/**
 * The one composition root: builds every service from config with plain constructors. The API and worker entry points
 * (and the integration tests) all start here.
 */
export async function createService(config: Config, role: ProcessRole, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<Service> {
  const db = await openDatabase(config);
  const { dataSource } = db;
  const uow = new UnitOfWork(dataSource);
  const keyCache = new KeyCache(config.AUTH_CACHE_MS, logger.child({ module: 'auth' }));
  await keyCache.start(config.DATABASE_URL);
  const keys = new ApiKeysService(dataSource, uow, keyCache);
  if (config.BOOTSTRAP_ADMIN_KEY) await keys.ensureBootstrapKey(config.BOOTSTRAP_ADMIN_KEY, config.BOOTSTRAP_ADMIN_ORGANIZATION);

  const lists = createListsFeature({ dataSource, uow, logger: logger.child({ module: 'lists' }), config });

  const webhooks = createWebhooksFeature({ dataSource, uow, logger: logger.child({ module: 'webhooks' }), config });

  const ruleset = loadRuleset(config.RULESET_PATH);
  const allowList = createAllowListFeature({ dataSource, uow, config, index: lists.index });
  const declarations = createDeclarationsFeature({
    dataSource, uow, logger: logger.child({ module: 'declarations' }), config, lists, ruleset, suppressions: allowList.source,
  });
  const cases = createCasesFeature({ dataSource, uow, config, allowList: allowList.service });
  const rescreen = createRescreenFeature({
    dataSource, uow, logger: logger.child({ module: 'rescreen' }), config, index: lists.index, pipeline: declarations.pipeline, ruleset,
  });
  const stats = createStatsFeature({ dataSource, uow, ruleset });

  const handlers: Partial<JobHandlers> = {
    ...lists.jobHandlers, ...webhooks.jobHandlers, ...declarations.jobHandlers, ...cases.jobHandlers, ...rescreen.jobHandlers,
  };
  const policies = { ...JOB_POLICIES, ...webhooks.jobPolicies };
  assertHandlers(handlers);

  let jobs!: JobRunner;
  const metrics = createMetrics(() => jobs.depth());
  const jobLogger = logger.child({ module: 'jobs' });
  if (isEmbedded(config) || !config.REDIS_URL) {
    // The embedded database runs one transaction at a time: more job loops would only queue for it.
    jobs = new InProcessJobRunner(dataSource, handlers, jobLogger, metrics, db.embedded ? Math.min(2, config.WORKER_CONCURRENCY) : config.WORKER_CONCURRENCY, config.OUTBOX_POLL_MS, db.embedded, policies);
  } else {
    jobs = new BullMqJobRunner(dataSource, handlers, jobLogger, metrics, {
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      processJobs: role === 'worker' || config.RUN_JOBS_IN_API,
      concurrency: config.WORKER_CONCURRENCY,
      pollMs: config.OUTBOX_POLL_MS,
      lockMs: config.JOB_LOCK_MS,
      policies,
    });
  }
  uow.onCommit(() => jobs.wake());

  let app: Express | undefined;
  if (role === 'api') {
    app = createApp({
      logger,
      metrics,
      registry: createRegistry(),
      authenticate: authenticate(keys),
      authorize,
      rateLimit: perKeyRateLimit(config.RATE_LIMIT_PER_MINUTE),
      bodyLimits: { default: config.BODY_LIMIT_BYTES, batch: config.BATCH_BODY_LIMIT_BYTES },
      extra: [{ path: '/console', handler: consoleRouter() }],
      routes: [...apiKeyRoutes(keys), ...auditRoutes(dataSource), ...lists.routes, ...screeningRoutes(lists.index, ruleset), ...declarations.routes, ...webhooks.routes, ...cases.routes, ...allowList.routes, ...stats.routes],
      readiness: {
        database: async () => (await dataSource.query('SELECT 1 AS ok'))[0].ok === 1,
        ...(config.REDIS_URL ? { redis: () => jobs.ready() } : {}),
      },
    });
  }

  let sealer: { stop(): Promise<void> } | undefined;
  return {
    config, logger, db, uow, metrics, jobs, keys, lists, declarations, cases, allowList, stats, app,
    async start() {
      await lists.start();
      await jobs.start();
      sealer = startSealer(dataSource, config.AUDIT_SEAL_INTERVAL_MS, (err) => logger.error({ err }, 'audit sealing failed'));
    },
    async close() {
      await jobs.stop();
      await sealer?.stop();
      await lists.stop();
      await keyCache.stop();
      await db.close();
    },
  };
}
