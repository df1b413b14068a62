import type { Logger } from 'pino';

/**
 * Runs `shutdown` once on SIGINT/SIGTERM; a second signal or the grace period forces the exit. The returned function
 * starts the same shutdown without a signal (a cluster worker whose primary went away); it does nothing once stopping.
 */
export function onShutdownSignal(
  logger: Logger,
  graceMs: number,
  shutdown: () => Promise<void>,
): (reason: string) => void {
  let stopping = false;
  const begin = (reason: string) => {
    stopping = true;
    logger.info({ reason }, 'shutting down: finishing in-flight requests and jobs');
    const force = setTimeout(() => {
      logger.error('shutdown grace period over: exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    shutdown().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    begin(signal);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return (reason) => {
    if (!stopping) begin(reason);
  };
}
