import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/config';
import { auditPrivileges } from '../db/roles';
import type { RouteDef } from '../http/route';
import { startCheckpointer } from './audit-checkpoints';
import { startSealer } from './audit-sealer';
import { trustedKeys, type AuditSigner } from './audit-signing';
import { auditRoutes } from './audit.routes';

export interface AuditFeature {
  routes: RouteDef[];
  /**
   * Starts the scheduled checkpoints and, with `seal`, the background sealer. Processes that run jobs seal (the worker,
   * or the API when it runs jobs itself); an API process beside workers leaves sealing to them, so its event loop serves
   * requests only. Exports and verifications seal what is pending first, wherever they run.
   */
  start(options: { seal: boolean }): void;
  stop(): Promise<void>;
}

/**
 * The audit log's routes and background loops. Says at start which key signs checkpoints, and warns when this process
 * could rewrite the log itself (no role split) or signs with a key file other processes may not share.
 */
export async function createAuditFeature(deps: {
  dataSource: DataSource;
  config: Config;
  logger: Logger;
  signer: AuditSigner;
  embedded: boolean;
}): Promise<AuditFeature> {
  const { dataSource, config, logger, signer } = deps;
  const trusted = trustedKeys(signer, config.AUDIT_TRUSTED_PUBLIC_KEYS);
  logger.info(
    { keyId: signer.keyId, publicKey: signer.publicKey, source: signer.source },
    'audit checkpoint signing key',
  );
  if (!deps.embedded) {
    if (signer.source === 'file') {
      logger.warn(
        { dataDir: config.DATA_DIR },
        'AUDIT_SIGNING_KEY is not set: checkpoints are signed with the key file in DATA_DIR; give every process the same AUDIT_SIGNING_KEY',
      );
    }
    const privileges = await auditPrivileges(dataSource);
    if (privileges.superuser || privileges.update || privileges.owner) {
      logger.warn(
        privileges,
        'the runtime database role can rewrite the audit log: set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to a dus_runtime member',
      );
    }
  }
  let loops: { stop(): Promise<void> }[] = [];
  return {
    routes: auditRoutes({ dataSource, signer, trusted }),
    start({ seal }) {
      loops = [
        startCheckpointer(dataSource, signer, config.AUDIT_CHECKPOINT_MINUTES * 60_000, (err) =>
          logger.error({ err }, 'audit checkpoint failed'),
        ),
      ];
      if (seal)
        loops.push(
          startSealer(dataSource, config.AUDIT_SEAL_INTERVAL_MS, (err) =>
            logger.error({ err }, 'audit sealing failed'),
          ),
        );
    },
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
