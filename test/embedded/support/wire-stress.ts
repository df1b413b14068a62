/**
 * Runs outside jest (PGlite's WASM loader needs real dynamic import): many pool connections' statements at once on
 * the embedded database, each checked against its own answer. Prints one JSON line with what went wrong, if anything.
 * Used by test/embedded/wire-queue.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../../../src/db/embedded';

interface Report {
  statements: string[];
  transactions: string[];
  deadConnection: string[];
}

async function statements(pool: Pool): Promise<string[]> {
  const kinds = [
    (i: number) => ({ text: 'SELECT $1::int AS n', values: [i], expect: { n: i } }),
    (i: number) => ({ text: 'SELECT $1::int AS n, $2::text AS s', values: [i, `s${i}`], expect: { n: i, s: `s${i}` } }),
    (i: number) => ({
      text: 'SELECT $1::int AS n, $2::text AS s, $3::text AS t',
      values: [i, `s${i}`, `t${i}`],
      expect: { n: i, s: `s${i}`, t: `t${i}` },
    }),
    // Same parameter count as the first, other SQL: a mix-up here would run silently with the wrong values.
    (i: number) => ({ text: 'SELECT ($1::int * 2) AS doubled', values: [i], expect: { doubled: i * 2 } }),
  ];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 2000 }, async (_, i) => {
      const q = kinds[i % kinds.length](i);
      try {
        const { rows } = await pool.query(q.text, q.values);
        if (JSON.stringify(rows[0]) !== JSON.stringify(q.expect))
          failures.push(`#${i}: ${JSON.stringify(rows[0])} != ${JSON.stringify(q.expect)}`);
      } catch (err) {
        failures.push(`#${i}: ${(err as Error).message}`);
      }
    }),
  );
  return failures;
}

async function transactions(pool: Pool): Promise<string[]> {
  const failures: string[] = [];
  await pool.query(`CREATE TABLE echo (id serial PRIMARY KEY, org text NOT NULL, payload text NOT NULL)`);
  const txs = Array.from({ length: 40 }, async (_, t) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (let k = 0; k < 5; k += 1)
        await client.query('INSERT INTO echo (org, payload) VALUES ($1, $2)', [`tx${t}`, `tx${t}-${k}`]);
      await client.query(t % 4 === 0 ? 'ROLLBACK' : 'COMMIT');
    } catch (err) {
      failures.push(`tx ${t}: ${(err as Error).message}`);
    } finally {
      client.release();
    }
  });
  const singles = Array.from({ length: 300 }, (_, i) =>
    pool
      .query('INSERT INTO echo (org, payload) VALUES ($1, $2) RETURNING org, payload', [`single${i % 7}`, `p${i}`])
      .then(({ rows }) => {
        if (rows[0].payload !== `p${i}` || rows[0].org !== `single${i % 7}`)
          failures.push(`insert ${i} returned ${JSON.stringify(rows[0])}`);
      })
      .catch((err: Error) => {
        failures.push(`insert ${i}: ${err.message}`);
      }),
  );
  await Promise.all([...txs, ...singles]);
  const { rows } = await pool.query(`SELECT org, count(*)::int AS n FROM echo WHERE org LIKE 'tx%' GROUP BY org`);
  if (rows.length !== 30 || rows.some((r: { n: number }) => r.n !== 5))
    failures.push(`committed transactions: ${JSON.stringify(rows)}`);
  const {
    rows: [s],
  } = await pool.query(`SELECT count(*)::int AS n FROM echo WHERE org LIKE 'single%'`);
  if (s.n !== 300) failures.push(`single inserts stored: ${s.n} of 300`);
  return failures;
}

async function deadConnection(pool: Pool): Promise<string[]> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO echo (org, payload) VALUES ($1, $2)', ['ghost', 'never committed']);
  client.release(new Error('drop this connection')); // destroys the socket in the middle of the transaction
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM echo WHERE org = $1`, ['ghost']);
  const {
    rows: [after],
  } = await pool.query('SELECT $1::text AS ok', ['yes']);
  const failures: string[] = [];
  if (rows[0].n !== 0) failures.push(`rows of the dropped transaction visible: ${rows[0].n}`);
  if (after.ok !== 'yes') failures.push('the session did not answer after the dropped connection');
  return failures;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dus-wire-'));
  const pg = await startEmbeddedPostgres(dir, 8);
  const pool = new Pool({ connectionString: pg.url, max: 8 });
  try {
    const report: Report = {
      statements: await statements(pool),
      transactions: await transactions(pool),
      deadConnection: await deadConnection(pool),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await pool.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
