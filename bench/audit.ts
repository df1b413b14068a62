import { ENTITIES } from '../src/entities';
/**
 * Audit log benchmark against the real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *   npx tsx bench/audit.ts [events=40000] [exportEvents=1000000]
 * Prints: events appended per second with 32 concurrent writers (each event its own transaction, as a business
 * change writes it) for our lock-free insert + background sealer, next to a naive chain that locks the head per insert;
 * then the time and peak resident-memory growth of exporting N events as NDJSON and as CSV through the HTTP API of
 * the compiled service (`npm run build` first) running as its own process.
 */
import { randomBytes } from 'node:crypto';
import { dbUrl, withAdmin } from './support/database';
import { createDataSource, runMigrations } from '../src/db/data-source';
import { recordAudit, SYSTEM_ACTOR } from '../src/audit/audit.service';
import { sealPending, startSealer } from '../src/audit/audit-sealer';
import { chainHash, GENESIS_HASH } from '../src/audit/audit-chain';
import { verifyChain } from '../src/audit/audit-verify';
import { signerFrom, trustedKeys } from '../src/audit/audit-signing';
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';

const EVENTS = Number(process.argv[2] ?? 40_000);
const EXPORT_EVENTS = Number(process.argv[3] ?? 1_000_000);
const WRITERS = 32;

async function writers(total: number, write: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = next++; i < total; i = next++) await write(i);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function appendBench(ds: DataSource) {
  const sealer = startSealer(ds, 200, (err) => console.error('sealer', err));
  const seconds = await writers(EVENTS, (i) =>
    ds.transaction((m) =>
      recordAudit(m, SYSTEM_ACTOR, { action: 'bench.append', subjectType: 'bench', subjectId: `s${i}`, data: { i } }),
    ),
  );
  await sealer.stop();
  const sealStart = Date.now();
  await sealPending(ds);
  const signer = signerFrom(generateKeyPairSync('ed25519').privateKey, 'config');
  const verify = await verifyChain(ds, signer, trustedKeys(signer), { full: true });
  console.log(
    `append (ours: insert without lock, sealer chains): ${EVENTS} events, ${WRITERS} writers, ${(EVENTS / seconds).toFixed(0)} events/s; backlog sealed ${Date.now() - sealStart} ms after the last write; chain ok=${verify.ok} checked=${verify.checked}`,
  );

  await ds.query(
    `CREATE TABLE naive_chain (seq bigint PRIMARY KEY, data jsonb NOT NULL, prev_hash text NOT NULL, hash text NOT NULL)`,
  );
  const naiveSeconds = await writers(EVENTS, (i) =>
    ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(42)`);
      const [head] = await m.query(`SELECT seq, hash FROM naive_chain ORDER BY seq DESC LIMIT 1`);
      const seq = head ? Number(head.seq) + 1 : 1;
      const prev = head ? head.hash : GENESIS_HASH;
      const data = { i };
      const hash = chainHash(
        {
          seq,
          occurredAt: new Date().toISOString(),
          actor: SYSTEM_ACTOR,
          action: 'bench',
          subjectType: 'bench',
          subjectId: String(i),
          data,
        },
        prev,
      );
      await m.query(`INSERT INTO naive_chain VALUES ($1, $2, $3, $4)`, [seq, JSON.stringify(data), prev, hash]);
    }),
  );
  console.log(
    `append (naive: lock the head per insert):         ${EVENTS} events, ${WRITERS} writers, ${(EVENTS / naiveSeconds).toFixed(0)} events/s`,
  );

  await ds.query(`CREATE TABLE plain_insert (id bigserial PRIMARY KEY, data jsonb NOT NULL)`);
  const plainSeconds = await writers(EVENTS, (i) =>
    ds.transaction((m) => m.query(`INSERT INTO plain_insert (data) VALUES ($1)`, [JSON.stringify({ i })])),
  );
  console.log(
    `append (plain inserts, no chain at all):           ${EVENTS} events, ${WRITERS} writers, ${(EVENTS / plainSeconds).toFixed(0)} events/s`,
  );
}

async function fillForExport(ds: DataSource) {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_events`);
  const missing = EXPORT_EVENTS - n;
  if (missing > 0) {
    const t0 = Date.now();
    for (let done = 0; done < missing; done += 100_000) {
      const size = Math.min(100_000, missing - done);
      await ds.query(
        `INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
        SELECT $1::jsonb, 'bench.export', 'declaration', 'd' || g, jsonb_build_object('outcome', 'CLEAR', 'riskScore', g % 100, 'reference', 'REF-' || g)
        FROM generate_series(1, $2) g`,
        [JSON.stringify(SYSTEM_ACTOR), size],
      );
      await sealPending(ds);
    }
    console.log(`filled and sealed ${missing} events for the export in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

async function exportBench(url: string, key: string, accept: string, pid: number) {
  const rssBefore = rssOf(pid);
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 20);
  const started = Date.now();
  const res = await fetch(`${url}/v1/audit/events`, { headers: { Authorization: `Bearer ${key}`, Accept: accept } });
  let bytes = 0;
  let tail = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    tail = (tail + Buffer.from(chunk).toString('utf8')).slice(-600);
  }
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  const rows = /"{1,2}rowCount"{1,2}:(\d+)/.exec(tail)?.[1];
  console.log(
    `export ${accept}: ${rows} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s; peak RSS growth of the service process ${((peak - rssBefore) / 1e6).toFixed(1)} MB`,
  );
}

async function main() {
  const name = `dus_bench_audit_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  try {
    const ds = createDataSource(dbUrl(name), 40, undefined, ENTITIES);
    await ds.initialize();
    await runMigrations(ds);
    if (EVENTS > 0) await appendBench(ds);
    await fillForExport(ds);
    await ds.destroy();

    // The exports go through the real HTTP API of the service running as its own process, whose RSS is sampled.
    const admin = `bench-admin-${randomBytes(12).toString('hex')}`;
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: dbUrl(name),
        BOOTSTRAP_ADMIN_KEY: admin,
        LOG_LEVEL: 'warn',
        PORT: '0',
        LIST_SOURCES: 'off',
        NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
      },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`service exited ${code}`)));
      });
      // A service in use has its code compiled and its heap sized: warm it with one small export of each kind first.
      for (const accept of ['application/x-ndjson', 'text/csv']) {
        await (
          await fetch(`${url}/v1/audit/events?subjectId=d1`, {
            headers: { Authorization: `Bearer ${admin}`, Accept: accept },
          })
        ).text();
      }
      for (const accept of (process.env.BENCH_EXPORT_ORDER ?? 'application/x-ndjson,text/csv').split(','))
        await exportBench(url, admin, accept, child.pid!);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
