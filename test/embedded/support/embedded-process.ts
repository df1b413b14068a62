import { startApiProcess, type ApiProcess } from '../../support/api-process';

export type EmbeddedProcess = ApiProcess;

/** Starts the built service exactly as `npm start` does, with no DATABASE_URL and no REDIS_URL (embedded PGlite). */
export function startEmbeddedProcess(
  dataDir: string,
  adminKey: string,
  env: Record<string, string> = {},
): Promise<EmbeddedProcess> {
  return startApiProcess({ DATA_DIR: dataDir, BOOTSTRAP_ADMIN_KEY: adminKey, ...env });
}
