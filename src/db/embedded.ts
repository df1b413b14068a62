import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { installWireMessageQueue } from './pglite-wire-queue';

// A package subpath export, which the compiler's classic resolution cannot see; the types are those of the file it maps to.
const { pg_trgm } =
  require('@electric-sql/pglite/contrib/pg_trgm') as typeof import('@electric-sql/pglite/dist/contrib/pg_trgm');

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a PGlite database (PostgreSQL in WASM, persisted in `dataDir`) on a loopback port with the Postgres wire
 * protocol, so TypeORM and every other `pg` user work unchanged. All connections share one session: a connection's
 * statement (Parse to Sync) or transaction runs alone while the others wait (see pglite-wire-queue.ts), which is what
 * a single-node, zero-setup deployment needs.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  // pg_trgm backs the fuzzy party search (issue 13); PGlite loads an extension's code only when it is listed here.
  const db = await PGlite.create(dir, { extensions: { pg_trgm } });
  // PGlite ignores per-connection startup options, so session defaults are set at the role level.
  await db.exec(`ALTER ROLE postgres SET timezone = 'UTC'; SET timezone = 'UTC';`);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: maxConnections + 2 });
  // The one session is shared by every connection: keep each connection's extended-query group together.
  installWireMessageQueue(server, db);
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
