import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ownerAfter } from '../../src/db/pglite-wire-queue';

const ROOT = join(__dirname, '..', '..');

/**
 * The embedded database serves every pool connection from ONE PostgreSQL session. Many connections' parameterised
 * statements run at once (the extended protocol: Parse, Bind, Execute, Sync) and each answer must be its own: before
 * the wire queue, one connection could bind to another's unnamed statement. PGlite cannot load inside jest's VM, so
 * the stress runs in a child process (support/wire-stress.ts) and reports what went wrong.
 */
describe('embedded PostgreSQL under concurrency (one session, many connections)', () => {
  it('answers every connection with its own statement and values, keeps transactions whole, and survives a dropped connection', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'test/embedded/support/wire-stress.ts'],
      { cwd: ROOT, timeout: 120_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(report).toEqual({ statements: [], transactions: [], deadConnection: [] });
  }, 150_000);

  it('gives the session to the client whose extended-query group or transaction is open, and frees it at Sync', () => {
    const P = 'P'.charCodeAt(0),
      S = 'S'.charCodeAt(0),
      Q = 'Q'.charCodeAt(0),
      X = 'X'.charCodeAt(0);
    expect(ownerAfter(P, 3, null, false)).toBe(3);
    expect(ownerAfter(S, 3, 3, false)).toBeNull();
    expect(ownerAfter(S, 3, 3, true)).toBe(3); // a transaction outlives the statement
    expect(ownerAfter(Q, 4, null, true)).toBe(4); // BEGIN
    expect(ownerAfter(Q, 4, 4, false)).toBeNull(); // COMMIT
    expect(ownerAfter(X, 5, null, false)).toBeNull();
  });
});
