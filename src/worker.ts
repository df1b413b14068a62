import { ConfigError, loadConfig } from './config/config';
import { createService } from './composition';
import { onShutdownSignal } from './lifecycle';
import { createLogger } from './observability/logger';

/** The worker entry point (`npm run worker`): runs background jobs only, over the same database and Redis. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'worker' });
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    throw new ConfigError([
      'DATABASE_URL and REDIS_URL: a separate worker needs both; without them `npm start` runs jobs itself',
    ]);
  }
  const service = await createService(config, 'worker', logger);
  await service.start();
  logger.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started');
  onShutdownSignal(logger, config.SHUTDOWN_GRACE_MS, () => service.close());
}

main().catch((err) => {
  process.stderr.write(
    err instanceof ConfigError
      ? `${err.message}\n`
      : `Worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
