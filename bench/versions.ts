/**
 * Seed lists and version diffs against the real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *   npx tsx bench/versions.ts [starts=3]
 * Prints:
 *  1. the first start of a service on an empty database (migrations, the CHPL and UN seed imports, the index build),
 *     and then starts on copies of that database (CREATE DATABASE ... TEMPLATE: seeds already there, as the test
 *     suite's template gives every test service); the difference is what seeding costs a start;
 *  2. the diff of two versions of the full 2019 OFAC SDN list (7,379 entries; the second removes 100, changes 100, adds
 *     100): the counts with the first page, and every page of 500 walked with the cursor.
 * It creates and drops its own databases; background jobs run in-process (no Redis needed).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbUrl, withAdmin } from './support/database';
import { FIXTURE_DATA } from '../test/support/fixture-lists';
import { loadConfig } from '../src/config/config';
import { createService, type Service } from '../src/composition';
import { SYSTEM_ACTOR } from '../src/audit/audit.service';

const STARTS = Number(process.argv[2] ?? 3);

async function timedStart(name: string): Promise<{ service: Service; ms: number }> {
  const config = loadConfig(
    {},
    {
      DATABASE_URL: dbUrl(name),
      BOOTSTRAP_ADMIN_KEY: `bench-admin-${randomBytes(12).toString('hex')}`,
      LOG_LEVEL: 'warn',
    },
  );
  const t0 = performance.now();
  const service = await createService(config, 'api');
  await service.start();
  return { service, ms: performance.now() - t0 };
}

async function seedBench(first: string): Promise<Service> {
  const { service, ms } = await timedStart(first);
  const [un] = await service.db.dataSource.query(
    `SELECT v.entry_count FROM lists l JOIN list_versions v ON v.id = l.active_version_id WHERE l.id = 'un'`,
  );
  console.log(
    `seed: first start on an empty database ${ms.toFixed(0)} ms (migrations, CHPL + UN seeds with ${un.entry_count} UN entries, index)`,
  );
  await service.close();
  const copies: number[] = [];
  for (let i = 0; i < STARTS; i += 1) {
    const name = `${first}_copy${i}`;
    await withAdmin(`CREATE DATABASE ${name} TEMPLATE ${first}`);
    try {
      const started = await timedStart(name);
      copies.push(started.ms);
      await started.service.close();
    } finally {
      await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
  copies.sort((a, b) => a - b);
  console.log(
    `seed: start on a copy that already holds the seeds, ${STARTS} starts: median ${copies[Math.floor(copies.length / 2)].toFixed(0)} ms ` +
      `(min ${copies[0].toFixed(0)}, max ${copies[copies.length - 1].toFixed(0)})`,
  );
  return (await timedStart(first)).service;
}

async function diffBench(service: Service): Promise<void> {
  const lists = service.lists.service;
  const dir = join(FIXTURE_DATA, 'ofac-sdn-2019');
  const parts = ['sdn', 'alt', 'add'].map((p) => ({ name: p, content: readFileSync(join(dir, `${p}.csv`)) }));
  const t0 = performance.now();
  const v1 = await lists.createVersion(
    SYSTEM_ACTOR,
    { listId: 'ofac-bench', format: 'ofac-sdn-csv', source: 'cli' },
    parts,
  );
  // The in-process job runner imports it (as an upload would be).
  while ((await lists.getVersion('ofac-bench', v1.id)).status !== 'active') await new Promise((r) => setTimeout(r, 50));
  console.log(`diff: OFAC SDN 2019 imported in ${(performance.now() - t0).toFixed(0)} ms`);
  const ds = service.db.dataSource;
  // The second version, written directly: the first 100 entries removed, the next 100 changed, 100 added.
  const [v2] = await ds.query(
    `INSERT INTO list_versions (list_id, status, format, sha256, entry_count, imported_by, finished_at)
     VALUES ('ofac-bench', 'held', 'ofac-sdn-csv', repeat('0', 64), 7379, '{"keyId":null,"role":"system","organization":null}', now()) RETURNING id`,
  );
  await ds.query(
    `INSERT INTO entity_entries (version_id, entry_id, entry, content_hash)
     SELECT $2, entry_id, entry, CASE WHEN n <= 200 THEN md5(content_hash) ELSE content_hash END
     FROM (SELECT *, row_number() OVER (ORDER BY entry_id) AS n FROM entity_entries WHERE version_id = $1) e WHERE n > 100`,
    [v1.id, v2.id],
  );
  await ds.query(
    `INSERT INTO entity_entries (version_id, entry_id, entry, content_hash)
     SELECT $1, 'NEW-' || g, jsonb_build_object('entryId', 'NEW-' || g, 'names', jsonb_build_array('Bench Company ' || g)), md5(g::text)
     FROM generate_series(1, 100) g`,
    [v2.id],
  );
  await ds.query(`ANALYZE entity_entries`);
  const runs: number[] = [];
  let first: Awaited<ReturnType<typeof lists.diff>> | undefined;
  for (let i = 0; i < 5; i += 1) {
    const t = performance.now();
    first = await lists.diff('ofac-bench', v2.id, { against: v1.id, limit: 50 });
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `diff: counts + first page of 50 (added ${first!.added}, removed ${first!.removed}, changed ${first!.changed}): median ${runs[2].toFixed(1)} ms over 5`,
  );
  const t1 = performance.now();
  let pages = 0;
  let items = 0;
  let cursor: string | undefined;
  do {
    const page = await lists.diff('ofac-bench', v2.id, { against: v1.id, limit: 500, cursor });
    pages += 1;
    items += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  console.log(
    `diff: every page of 500 walked: ${pages} pages, ${items} items in ${(performance.now() - t1).toFixed(0)} ms`,
  );
}

async function main() {
  const name = `dus_bench_versions_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  let service: Service | undefined;
  try {
    service = await seedBench(name);
    await diffBench(service);
  } finally {
    await service?.close();
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
