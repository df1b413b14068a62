import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './servers';

const run = promisify(execFile);

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('no PostgreSQL binaries in /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

/**
 * A throwaway PostgreSQL cluster of this test's own (initdb in a temp dir, its own port, socket in the same dir),
 * started and stopped with pg_ctl: tests that restart a database never touch the shared server. PostgreSQL refuses
 * to run as root, so as root the cluster belongs to the `postgres` user.
 */
export class OwnPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly owner: { uid: number; gid: number } | undefined,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  databaseUrl(name: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  static async create(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'dus-own-pg-'));
    let owner: { uid: number; gid: number } | undefined;
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
      chownSync(dir, owner.uid, owner.gid);
    }
    const pg = new OwnPostgres(dir, await freePort(), owner);
    await pg.pg('initdb', [
      '-D',
      join(dir, 'data'),
      '--auth=trust',
      '--username=postgres',
      '--no-sync',
      '--no-instructions',
      '--encoding=UTF8',
    ]);
    await pg.start();
    return pg;
  }

  private pg(tool: string, args: string[]) {
    const bin = join(binDir(), tool);
    return this.owner ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args);
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
    await this.pg('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-o',
      options,
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** fast: clients are disconnected (57P01) and the server stops; immediate: as a crash. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** The postmaster's pid (first line of postmaster.pid), or undefined when it is not running. */
  pid(): number | undefined {
    try {
      return Number(readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.databaseUrl(name);
  }

  /** Stops the cluster (by its own pid file, via pg_ctl) and deletes its directory. */
  async destroy(): Promise<void> {
    if (this.pid()) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
