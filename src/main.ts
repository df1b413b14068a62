import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { ConfigError, isEmbedded, loadConfig, type Config } from './config/config';
import { createService } from './composition';
import { onShutdownSignal } from './lifecycle';
import { createLogger } from './observability/logger';

/** What a cluster worker tells the primary once it listens. */
interface ListeningMessage {
  type: 'dus:listening';
  port: number;
}

function banner(config: Config, url: string, processes: number): string {
  return (
    [
      '',
      `  Screening service listening on ${url}`,
      `  API description: ${url}/docs   health: ${url}/healthz`,
      processes > 1 ? `  ${processes} API processes (node:cluster), each with its own list index.` : '',
      isEmbedded(config) ? `  Embedded PostgreSQL in ${config.DATA_DIR}; background jobs run in this process.` : '',
      config.BOOTSTRAP_ADMIN_KEY
        ? '  Admin key: the value of BOOTSTRAP_ADMIN_KEY (Authorization: Bearer <key>).'
        : '  No admin key configured: restart with BOOTSTRAP_ADMIN_KEY=<a secret of 24+ characters> to get one.',
      '',
    ]
      .filter((l, i, all) => l !== '' || i === 0 || i === all.length - 1)
      .join('\n') + '\n'
  );
}

/** One API process: the whole service, listening on PORT (as a cluster worker, on the port the primary shares). */
async function serve(config: Config, logger: Logger): Promise<void> {
  const service = await createService(config, 'api', logger);
  await service.start();
  const server: Server = service.app!.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  logger.info(
    { url, embedded: isEmbedded(config), dataDir: isEmbedded(config) ? config.DATA_DIR : undefined },
    'listening',
  );
  if (cluster.isWorker) process.send!({ type: 'dus:listening', port } satisfies ListeningMessage);
  else process.stdout.write(banner(config, url, 1));

  const stop = onShutdownSignal(logger, config.SHUTDOWN_GRACE_MS, async () => {
    // Stop accepting; let requests in flight finish; close each keep-alive connection as soon as it falls idle.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    await closed;
    clearInterval(sweeper);
    await service.close();
  });
  // A worker whose primary is gone (killed outright) has no one to hand it connections: it stops the same way.
  if (cluster.isWorker) {
    process.on('disconnect', () => stop('primary gone'));
    process.on('message', (m: { type?: string }) => {
      if (m?.type === 'dus:stop') stop('primary stopping');
    });
  }
}

/**
 * API_PROCESSES > 1: this process only forks and watches the workers; each worker is a complete API process (own
 * pool, own list index following activations through the list-generation NOTIFY) and node:cluster shares the port
 * between them. The first worker starts alone so it applies the migrations before the others open the database.
 * SIGTERM/SIGINT here is passed to every worker, which finish their requests in flight; the primary exits when they
 * have. A worker that dies while serving is replaced.
 */
async function runPrimary(config: Config, logger: Logger): Promise<void> {
  let stopping = false;
  const exits = new Map<number, Promise<number | null>>();
  const fork = () =>
    new Promise<number>((resolve, reject) => {
      const worker = cluster.fork();
      exits.set(
        worker.id,
        new Promise((done) =>
          worker.once('exit', (code) => {
            exits.delete(worker.id);
            done(code);
          }),
        ),
      );
      let listening = false;
      worker.on('message', (m: ListeningMessage) => {
        if (m?.type !== 'dus:listening') return;
        listening = true;
        resolve(m.port);
      });
      worker.once('exit', (code, signal) => {
        if (!listening)
          return reject(new Error(`API process ${worker.process.pid} exited (${signal ?? code}) before listening`));
        if (stopping) return;
        logger.error({ pid: worker.process.pid, code, signal }, 'API process died: starting another');
        setTimeout(() => {
          if (!stopping) fork().catch((err) => logger.error({ err }, 'replacement API process failed to start'));
        }, 1000);
      });
    });
  // With PORT=0 node:cluster picks the port once (for the first worker) and hands every later worker the same one.
  const port = await fork();
  await Promise.all(Array.from({ length: config.API_PROCESSES - 1 }, fork));
  logger.info({ port, processes: config.API_PROCESSES }, 'listening');
  process.stdout.write(banner(config, `http://localhost:${port}`, config.API_PROCESSES));

  const stopAll = async () => {
    stopping = true;
    // A message, not a signal: a Ctrl-C already reached every worker of the process group, and a second signal would
    // cut their shutdown short.
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: 'dus:stop' });
    const codes = await Promise.all([...exits.values()]);
    if (codes.some((c) => c !== 0)) throw new Error(`API processes exited with ${codes.join(', ')}`);
  };
  // The workers have their own grace period; this one only has to outlast it.
  onShutdownSignal(logger, config.SHUTDOWN_GRACE_MS + 5000, stopAll);
}

/** The API entry point (`npm start`). Without DATABASE_URL it is a complete single-process service. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.API_PROCESSES > 1 && cluster.isPrimary) return runPrimary(config, logger);
  return serve(config, logger);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  if (cluster.isPrimary) for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  process.exit(1);
});
