import type { Express } from 'express';
import type { Logger } from 'pino';
import { isEmbedded, type Config } from './config/config';
import { databaseAnswers, openDatabase, type Database } from './db/database';
import { ENTITIES } from './entities';
import { UnitOfWork } from './db/unit-of-work';
import { createLogger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { ApiKeysService } from './auth/api-keys.service';
import { KeyCache } from './auth/key-cache';
import { apiKeyRoutes } from './auth/api-keys.routes';
import { authenticate, authorize } from './auth/auth.middleware';
import { createAuditFeature } from './audit/audit.feature';
import { loadAuditSigner } from './audit/audit-signing';
import { consoleRouter } from './console/console.routes';
import { createApp } from './http/app';
import { createRegistry } from './http/openapi';
import { MemoryCounter, RedisCounter, type RateCounter } from './http/rate-counter';
import { createRateLimits } from './http/rate-limit';
import { assertHandlers, JOB_POLICIES, type FinalFailureHandlers, type JobHandlers } from './jobs/catalogue';
import type { JobRunner } from './jobs/job-runner';
import { InProcessJobRunner } from './jobs/in-process-runner';
import { BullMqJobRunner } from './jobs/bullmq-runner';
import { Reconciler } from './jobs/reconciler';
import { createListsFeature, type ListsFeature } from './lists/lists.feature';
import { createDeclarationsFeature, type DeclarationsFeature } from './declarations/declarations.feature';
import { loadRuleset } from './screening/ruleset';
import { screeningRoutes } from './screening/screening.routes';
import { createWebhooksFeature } from './webhooks/webhooks.feature';
import { registerWebhookEventSchemas } from './webhooks/event-data';
import { createAllowListFeature, type AllowListFeature } from './allow-list/allow-list.feature';
import { createCasesFeature, type CasesFeature } from './cases/cases.feature';
import { declarationCases } from './cases/declaration-cases';
import { createDocumentsFeature } from './documents/documents.feature';
import { declarationOrganization } from './declarations/declaration-owner.repository';
import {
  createInformationRequestsFeature,
  type InformationRequestsFeature,
} from './information-requests/information-requests.feature';
import { createRescreenFeature } from './rescreen/rescreen.feature';
import { rescreenHook } from './rescreen/rescreen-runs';
import { createListSourcesFeature, type ListSourcesFeature } from './list-sources/list-sources.feature';
import { createStatsFeature, type StatsFeature } from './stats/stats.feature';
import { createLicencesFeature, type LicencesFeature } from './licences/licences.feature';
import { createInvoicesFeature } from './invoices/invoices.feature';
import { invoiceDossierLoader } from './invoices/invoices.repository';

export type ProcessRole = 'api' | 'worker';

export interface Service {
  config: Config;
  logger: Logger;
  db: Database;
  uow: UnitOfWork;
  metrics: Metrics;
  jobs: JobRunner;
  /** Present where this process runs jobs: repairs work left unfinished by lost jobs. */
  reconciler?: Reconciler;
  keys: ApiKeysService;
  lists: ListsFeature;
  sources: ListSourcesFeature;
  declarations: DeclarationsFeature;
  cases: CasesFeature;
  informationRequests: InformationRequestsFeature;
  allowList: AllowListFeature;
  stats: StatsFeature;
  licences: LicencesFeature;
  /** Present in the API role. */
  app?: Express;
  /** Starts the background loops (job relay/processing, audit sealer, list index refresh, SLA sweep where jobs run). */
  start(): Promise<void>;
  /** Stops the background loops, finishing in-flight jobs, and closes the database. */
  close(): Promise<void>;
}

/**
 * The one composition root: builds every service from config with plain constructors. The API and worker entry points
 * (and the integration tests) all start here.
 */
export async function createService(
  config: Config,
  role: ProcessRole,
  logger: Logger = createLogger(config.LOG_LEVEL),
): Promise<Service> {
  // Before the database opens: a bad or unreadable signing key stops the start with nothing to clean up.
  const auditSigner = loadAuditSigner(config);
  const db = await openDatabase(config, ENTITIES);
  const { dataSource } = db;
  const uow = new UnitOfWork(dataSource);
  const audit = await createAuditFeature({
    dataSource,
    config,
    logger: logger.child({ module: 'audit' }),
    signer: auditSigner,
    embedded: db.embedded,
  });
  const keyCache = new KeyCache(config.AUTH_CACHE_MS, logger.child({ module: 'auth' }));
  await keyCache.start(config.DATABASE_URL);
  const keys = new ApiKeysService(dataSource, uow, {
    cache: keyCache,
    logger: logger.child({ module: 'auth' }),
    lastUsedIntervalMs: config.API_KEY_LAST_USED_MINUTES * 60_000,
  });
  if (config.BOOTSTRAP_ADMIN_KEY)
    await keys.ensureBootstrapKey(config.BOOTSTRAP_ADMIN_KEY, config.BOOTSTRAP_ADMIN_ORGANIZATION);

  // Loaded before the lists: their index splits targets from context records and resolves ownership by its rules.
  const ruleset = loadRuleset(config.RULESET_PATH);
  // Lists schedule and read the delta re-screening of an activation through this hook (rescreen is built on lists).
  const lists = createListsFeature({
    dataSource,
    uow,
    logger: logger.child({ module: 'lists' }),
    config,
    ruleset,
    rescreen: rescreenHook,
  });
  const sources = createListSourcesFeature({
    dataSource,
    uow,
    logger: logger.child({ module: 'list-sources' }),
    config,
    lists: lists.service,
  });

  const webhooks = createWebhooksFeature({ dataSource, uow, logger: logger.child({ module: 'webhooks' }), config });

  const allowList = createAllowListFeature({ dataSource, uow, config, index: lists.index });
  const documents = createDocumentsFeature({ dataSource, uow, config, declarationOrganization });
  const informationRequests = createInformationRequestsFeature({ dataSource, uow, config });
  const licences = createLicencesFeature({ dataSource, uow });
  const declarations = createDeclarationsFeature({
    dataSource,
    uow,
    logger: logger.child({ module: 'declarations' }),
    config,
    lists,
    ruleset,
    suppressions: allowList.source,
    documents: documents.service,
    informationRequests: informationRequests.service,
    dossierLoaders: [invoiceDossierLoader(), licences.dossierLoader],
    cases: declarationCases(dataSource),
  });
  const invoices = createInvoicesFeature({
    dataSource,
    uow,
    logger: logger.child({ module: 'invoices' }),
    pipeline: declarations.pipeline,
  });
  const cases = createCasesFeature({
    dataSource,
    uow,
    config,
    logger: logger.child({ module: 'cases' }),
    allowList: allowList.service,
    documents: documents.service,
    informationRequests: informationRequests.service,
  });
  const rescreen = createRescreenFeature({
    dataSource,
    uow,
    logger: logger.child({ module: 'rescreen' }),
    config,
    index: lists.index,
    pipeline: declarations.pipeline,
    ruleset,
  });
  const stats = createStatsFeature({ dataSource, uow, ruleset });

  const handlers: Partial<JobHandlers> = {
    ...lists.jobHandlers,
    ...sources.jobHandlers,
    ...webhooks.jobHandlers,
    ...declarations.jobHandlers,
    ...cases.jobHandlers,
    ...informationRequests.jobHandlers,
    ...rescreen.jobHandlers,
  };
  const policies = { ...JOB_POLICIES, ...webhooks.jobPolicies, ...sources.jobPolicies, ...declarations.jobPolicies };
  assertHandlers(handlers);
  const failureHooks: FinalFailureHandlers = { ...lists.failureHandlers, ...declarations.failureHandlers };

  let jobs!: JobRunner;
  const metrics = createMetrics(() => jobs.depth());
  metrics.addRefresher(sources.registerMetrics(metrics.registry));
  // Scheduled source checks, the SLA sweep and the audit sealer run where jobs run: the worker, or the API when it
  // processes jobs (embedded, RUN_JOBS_IN_API).
  const runsJobs = isEmbedded(config) || !config.REDIS_URL || role === 'worker' || config.RUN_JOBS_IN_API;
  const jobLogger = logger.child({ module: 'jobs' });
  const inProcess = isEmbedded(config) || !config.REDIS_URL;
  if (inProcess) {
    // The embedded database runs one transaction at a time: more job loops would only queue for it.
    jobs = new InProcessJobRunner(dataSource, handlers, jobLogger, metrics, {
      concurrency: db.embedded ? Math.min(2, config.WORKER_CONCURRENCY) : config.WORKER_CONCURRENCY,
      pollMs: config.OUTBOX_POLL_MS,
      soleRunner: db.embedded,
      timeoutMs: config.JOB_TIMEOUT_MS,
      policies,
      failureHooks,
    });
  } else {
    jobs = new BullMqJobRunner(dataSource, handlers, jobLogger, metrics, {
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      processJobs: role === 'worker' || config.RUN_JOBS_IN_API,
      concurrency: config.WORKER_CONCURRENCY,
      pollMs: config.OUTBOX_POLL_MS,
      lockMs: config.JOB_LOCK_MS,
      policies,
      failureHooks,
    });
  }
  // Where jobs run, so does their repair (the worker; the API itself in embedded or in-process mode).
  const reconciler =
    inProcess || role === 'worker' || config.RUN_JOBS_IN_API
      ? new Reconciler(
          dataSource,
          jobs,
          [lists.stuckWork, declarations.stuckWork, rescreen.stuckWork],
          failureHooks,
          jobLogger,
          { afterMs: config.RECONCILE_AFTER_MS, intervalMs: config.RECONCILE_INTERVAL_MS },
        )
      : undefined;
  uow.onCommit(() => jobs.wake());

  let app: Express | undefined;
  let rateCounter: RateCounter | undefined;
  if (role === 'api') {
    rateCounter = config.REDIS_URL
      ? new RedisCounter(
          config.REDIS_URL,
          config.RATE_LIMIT_PREFIX ?? `${config.QUEUE_PREFIX}:rl:`,
          logger.child({ module: 'rate-limit' }),
        )
      : new MemoryCounter();
    app = createApp({
      logger,
      metrics,
      registry: registerWebhookEventSchemas(createRegistry()),
      authenticate: authenticate(keys),
      authorize,
      rateLimits: createRateLimits(rateCounter, {
        perKeyPerMinute: config.RATE_LIMIT_PER_MINUTE,
        authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
      }),
      bodyLimits: { default: config.BODY_LIMIT_BYTES, batch: config.BATCH_BODY_LIMIT_BYTES },
      metricsToken: config.METRICS_TOKEN,
      extra: [{ path: '/console', handler: consoleRouter() }],
      routes: [
        ...apiKeyRoutes(keys),
        ...audit.routes,
        ...lists.routes,
        ...sources.routes,
        ...screeningRoutes(lists.index, ruleset, {
          minScore: config.SCREEN_BROKER_MIN_SCORE,
          maxMatches: config.SCREEN_BROKER_MAX_MATCHES,
        }),
        ...declarations.routes,
        ...documents.routes,
        ...informationRequests.routes,
        ...webhooks.routes,
        ...cases.routes,
        ...allowList.routes,
        ...stats.routes,
        ...invoices.routes,
        ...licences.routes,
      ],
      readiness: {
        database: () => databaseAnswers(dataSource),
        // Ready only while this process holds every active list version (it screens nothing older).
        lists: () => lists.index.holdsActiveVersions(),
      },
      readinessDetails: () => ({ lists: lists.index.versions() }),
      // The API answers submissions from the database alone (jobs wait in the outbox), so Redis down is reported, not fatal.
      advisory: config.REDIS_URL ? { redis: () => jobs.ready() } : {},
    });
  }

  return {
    config,
    logger,
    db,
    uow,
    metrics,
    jobs,
    reconciler,
    keys,
    lists,
    sources,
    declarations,
    cases,
    informationRequests,
    allowList,
    stats,
    licences,
    app,
    async start() {
      await lists.start();
      await jobs.start();
      reconciler?.start();
      await sources.start({ schedule: runsJobs });
      if (runsJobs) cases.start();
      if (role === 'api') metrics.startRefresh(config.METRICS_REFRESH_MS);
      audit.start({ seal: runsJobs });
    },
    async close() {
      metrics.stopRefresh();
      await sources.stop();
      await reconciler?.stop();
      await cases.stop();
      await jobs.stop();
      await audit.stop();
      await lists.stop();
      await keyCache.stop();
      await rateCounter?.close();
      await db.close();
    },
  };
}
