import { ENTITIES } from '../src/entities';
/**
 * Audit verification benchmark against the real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *   npx tsx bench/audit-verify.ts [events=200000] [appended=1000]
 * Prints the time and events rehashed of a full verification (from genesis, checking every signed checkpoint), then of
 * an incremental one after `appended` more events (from the checkpoint the full one confirmed), then of one with
 * nothing new; and the cost of signing a checkpoint.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { dbUrl, withAdmin } from './support/database';
import { createDataSource, runMigrations } from '../src/db/data-source';
import { SYSTEM_ACTOR } from '../src/audit/audit.service';
import { sealPending } from '../src/audit/audit-sealer';
import { verifyChain } from '../src/audit/audit-verify';
import { checkpointHead } from '../src/audit/audit-checkpoints';
import { signerFrom, trustedKeys } from '../src/audit/audit-signing';
import type { DataSource } from 'typeorm';

const EVENTS = Number(process.argv[2] ?? 200_000);
const APPENDED = Number(process.argv[3] ?? 1000);

async function fill(ds: DataSource, count: number, signEvery: number, sign: () => Promise<unknown>) {
  for (let done = 0; done < count; done += signEvery) {
    const size = Math.min(signEvery, count - done);
    await ds.query(
      `INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
      SELECT $1::jsonb, 'bench.verify', 'declaration', 'd' || g, jsonb_build_object('outcome', 'CLEAR', 'riskScore', g % 100, 'reference', 'REF-' || g)
      FROM generate_series(1, $2) g`,
      [JSON.stringify(SYSTEM_ACTOR), size],
    );
    await sealPending(ds);
    await sign();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - t0) / 1e6];
}

async function main() {
  const name = `dus_bench_verify_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  const ds = createDataSource(dbUrl(name), 4, undefined, ENTITIES);
  try {
    await ds.initialize();
    await runMigrations(ds);
    const signer = signerFrom(generateKeyPairSync('ed25519').privateKey, 'config');
    const keys = trustedKeys(signer);
    // A checkpoint per 10,000 events stands for the scheduled ones of a busy day.
    await fill(ds, EVENTS, 10_000, () => checkpointHead(ds, signer, 'scheduled'));
    const [full, fullMs] = await timed(() => verifyChain(ds, signer, keys, { full: true }));
    console.log(
      `full verify:        ok=${full.ok} checked=${full.checked} events, ${full.checkpointsChecked} checkpoints in ${fullMs.toFixed(0)} ms`,
    );
    await fill(ds, APPENDED, APPENDED, async () => undefined);
    const [inc, incMs] = await timed(() => verifyChain(ds, signer, keys));
    console.log(
      `incremental verify: ok=${inc.ok} mode=${inc.mode} checked=${inc.checked} events (from seq ${inc.fromSeq}), ${inc.checkpointsChecked} checkpoints in ${incMs.toFixed(0)} ms`,
    );
    const [idle, idleMs] = await timed(() => verifyChain(ds, signer, keys));
    console.log(`incremental, nothing new: checked=${idle.checked} in ${idleMs.toFixed(0)} ms`);
    await fill(ds, 1, 1, async () => undefined);
    const [, signMs] = await timed(() => checkpointHead(ds, signer, 'scheduled'));
    console.log(`sign and store one checkpoint: ${signMs.toFixed(1)} ms`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
