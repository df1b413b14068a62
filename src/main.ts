import type { Server } from 'node:http';
import { ConfigError, isEmbedded, loadConfig } from './config/config';
import { createService } from './composition';
import { onShutdownSignal } from './lifecycle';
import { createLogger } from './observability/logger';

/** The API entry point (`npm start`). Without DATABASE_URL it is a complete single-process service. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const service = await createService(config, 'api', logger);
  await service.start();
  const server: Server = service.app!.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  logger.info({ url, embedded: isEmbedded(config), dataDir: isEmbedded(config) ? config.DATA_DIR : undefined }, 'listening');
  process.stdout.write([
    '',
    `  Screening service listening on ${url}`,
    `  API description: ${url}/docs   health: ${url}/healthz`,
    isEmbedded(config) ? `  Embedded PostgreSQL in ${config.DATA_DIR}; background jobs run in this process.` : '',
    config.BOOTSTRAP_ADMIN_KEY
      ? '  Admin key: the value of BOOTSTRAP_ADMIN_KEY (Authorization: Bearer <key>).'
      : '  No admin key configured: restart with BOOTSTRAP_ADMIN_KEY=<a secret of 24+ characters> to get one.',
    '',
  ].filter((l, i, all) => l !== '' || i === 0 || i === all.length - 1).join('\n') + '\n');

  onShutdownSignal(logger, config.SHUTDOWN_GRACE_MS, async () => {
    // Stop accepting; let requests in flight finish; close each keep-alive connection as soon as it falls idle.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    await closed;
    clearInterval(sweeper);
    await service.close();
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
