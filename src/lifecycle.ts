import type { Logger } from 'pino';

/** Runs `shutdown` once on SIGINT/SIGTERM; a second signal or the grace period forces the exit. */
export function onShutdownSignal(logger: Logger, graceMs: number, shutdown: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const force = setTimeout(() => {
      logger.error('shutdown grace period over: exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    shutdown().then(
      () => { logger.info('stopped'); process.exit(0); },
      (err) => { logger.error({ err }, 'shutdown failed'); process.exit(1); },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
