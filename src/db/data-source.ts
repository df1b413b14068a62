import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

export type EntityClass = Function;

export interface SessionTimeouts {
  /** statement_timeout in ms (0: none). */
  statementMs: number;
  /** lock_timeout in ms (0: none). */
  lockMs: number;
  /** How long pool.connect waits (a new connection or a free one) before failing. */
  connectMs: number;
}

/**
 * One DataSource per process; entities and migrations are listed explicitly so the same code runs from ts and dist.
 * The entities come from the caller (src/entities.ts, read by the composition root), so this plumbing imports no
 * feature; a data source that only migrates needs none.
 * Timeouts are session settings sent at connection start, so a runaway query or a lock queue answers 503 instead of
 * holding a pool connection for ever.
 */
export function createDataSource(
  url: string,
  poolSize: number,
  timeouts?: SessionTimeouts,
  entities: readonly EntityClass[] = [],
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [...entities],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: timeouts?.connectMs ?? 30000,
      options: '-c timezone=UTC',
      ...(timeouts?.statementMs ? { statement_timeout: timeouts.statementMs } : {}),
      ...(timeouts?.lockMs ? { lock_timeout: timeouts.lockMs } : {}),
    },
  });
}

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
