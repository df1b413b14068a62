import { ENTITIES } from '../src/entities';
/**
 * List activation benchmark (compiled service: run `npm run build` first; real PostgreSQL and Redis).
 *   npm run bench:lists                        (or: BENCH_SYNTHETIC=200000 npx tsx bench/lists.ts)
 * Prints:
 * 1. Read-your-writes: two API processes and one worker on a fresh database (LIST_REFRESH_MS at its default). The
 *    UN list, then the 2019 OFAC SDN are uploaded through API A; clients keep screening a listed name on both APIs.
 *    For each API: time from the activation commit to its first answer made with the new version, and how long the
 *    requests sent after A reported the version active waited for it (they wait instead of using the older index).
 * 2. Longest event-loop stall while this process rebuilds its index of SDN + UN from the database (sliced build,
 *    measured by monitorEventLoopDelay and a 1 ms setInterval drift probe), next to the one-piece build it replaces.
 * 3. The same for a build of 1,000,000 synthetic names (bench/support generators), plus both build times.
 * 4. The cost of one refresh cycle with unchanged sources (five sources served locally; bench/lists-refresh.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDataSource } from '../src/db/data-source';
import type { EntityEntry } from '../src/domain/list-entry';
import { ReferenceIndex } from '../src/lists/reference-index';
import { readEntityEntries } from '../src/lists/entries.repository';
import { createLogger } from '../src/observability/logger';
import { EntityListIndex } from '../src/screening/matching';
import { dbUrl, withAdmin } from './support/database';
import { loadOfac, loadUn } from '../test/support/fixture-lists';
import { companyName, extractNameParts, personName } from './support/name-parts';
import { rng } from './support/variants';
import { measureRefreshCycle, printRefreshCycles } from './lists-refresh';
import { DATA, start } from './support/service';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SYNTHETIC = Number(process.env.BENCH_SYNTHETIC ?? 1_000_000);
const LISTED = 'ROSOBORONEXPORT';

async function upload(
  url: string,
  key: string,
  listId: string,
  format: string,
  parts: Record<string, string>,
): Promise<string> {
  const form = new FormData();
  form.set('format', format);
  for (const [name, path] of Object.entries(parts)) form.set(name, new Blob([readFileSync(path)]), name);
  const res = await fetch(`${url}/v1/lists/${listId}/versions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}` },
    body: form,
  });
  return ((await res.json()) as { versionId: string }).versionId;
}

async function version(
  url: string,
  key: string,
  listId: string,
  versionId: string,
): Promise<{ status: string; activatedAt: string | null }> {
  return (await (
    await fetch(`${url}/v1/lists/${listId}/versions/${versionId}`, { headers: { Authorization: `Bearer ${key}` } })
  ).json()) as { status: string; activatedAt: string | null };
}

async function screenedWith(url: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${url}/v1/screen/parties`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ parties: [{ name: LISTED }] }),
  });
  return res.status === 200
    ? ((await res.json()) as { listVersions: Record<string, string> }).listVersions['ofac-sdn']
    : undefined;
}

interface Screened {
  sentAt: number;
  answeredAt: number;
  version: string | undefined;
}

/** Screens the listed name on `url` through `clients` loops until stopped. */
function screenLoop(url: string, key: string, clients: number, stop: () => boolean): Promise<Screened[]> {
  const out: Screened[] = [];
  const body = JSON.stringify({ parties: [{ name: LISTED }] });
  return Promise.all(
    Array.from({ length: clients }, async () => {
      while (!stop()) {
        const sentAt = Date.now();
        const res = await fetch(`${url}/v1/screen/parties`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body,
        });
        const answer = (await res.json()) as { listVersions?: Record<string, string> };
        out.push({
          sentAt,
          answeredAt: Date.now(),
          version: res.status === 200 ? answer.listVersions?.['ofac-sdn'] : `status ${res.status}`,
        });
      }
    }),
  ).then(() => out);
}

async function readYourWrites(databaseUrl: string): Promise<void> {
  const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    BOOTSTRAP_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    PORT: '0',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const worker = start('dist/src/worker.js', env);
  const apis = [start('dist/src/main.js', env), start('dist/src/main.js', env)];
  try {
    const [a, b] = await Promise.all(apis.map((p) => p.url));
    const un = await upload(a, adminKey, 'un', 'un-xml', { file: join(DATA, 'un', 'UN_consolidated_2026-02-27.xml') });
    while ((await version(a, adminKey, 'un', un)).status !== 'active') await new Promise((r) => setTimeout(r, 100));
    let stopped = false;
    const loops = [a, b].map((url) => screenLoop(url, adminKey, 4, () => stopped));
    const sdn = await upload(a, adminKey, 'ofac-sdn', 'ofac-sdn-csv', {
      sdn: join(DATA, 'ofac-sdn-2019', 'sdn.csv'),
      alt: join(DATA, 'ofac-sdn-2019', 'alt.csv'),
      add: join(DATA, 'ofac-sdn-2019', 'add.csv'),
    });
    let v = await version(a, adminKey, 'ofac-sdn', sdn);
    while (v.status !== 'active') {
      await new Promise((r) => setTimeout(r, 10));
      v = await version(a, adminKey, 'ofac-sdn', sdn);
    }
    const seenActive = Date.now();
    const activatedAt = Date.parse(v.activatedAt!);
    // Keep screening until each API has answered requests sent after "active" for a while (bounded).
    await new Promise((r) => setTimeout(r, 3000));
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      (await Promise.all([a, b].map((url) => screenedWith(url, adminKey)))).some((x) => x !== sdn)
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    stopped = true;
    const results = await Promise.all(loops);
    console.log(
      `1. activation of OFAC SDN 2019 (7,379 entries) with UN active; API A reported it active ${seenActive - activatedAt} ms after the commit`,
    );
    results.forEach((answers, i) => {
      const first = answers.filter((x) => x.version === sdn).sort((x, y) => x.answeredAt - y.answeredAt)[0];
      const after = answers.filter((x) => x.sentAt >= seenActive);
      const older = after.filter((x) => x.version !== sdn);
      const waits = after.map((x) => x.answeredAt - x.sentAt).sort((x, y) => x - y);
      console.log(
        `   API ${'AB'[i]}: first answer with the new version ${first ? first.answeredAt - activatedAt : NaN} ms after the commit; ` +
          `${after.length} requests sent after "active": ${older.length} answered otherwise, longest wait ${waits[waits.length - 1] ?? 0} ms, median ${waits[Math.floor(waits.length / 2)] ?? 0} ms`,
      );
    });
  } finally {
    for (const p of [...apis, worker]) p.child.kill('SIGTERM');
  }
}

/**
 * Runs `work` while probing the event loop; returns the longest stall seen by either probe, in ms of wall time, and the
 * most CPU time this process used between two probe ticks (on a loaded machine a wall-clock gap also counts time the
 * OS gave to other processes; the CPU figure does not, though it includes V8's parallel GC threads).
 */
async function stallDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; stallMs: number; cpuStallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let longest = 0;
  let cpuLongest = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const probe = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    longest = Math.max(longest, now - last - 1);
    cpuLongest = Math.max(cpuLongest, (cpu.user + cpu.system) / 1000);
    last = now;
    lastCpu = process.cpuUsage();
  }, 1);
  histogram.enable();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  // Let the probes see the end of a synchronous piece of work before they stop.
  await new Promise((r) => setTimeout(r, 5));
  histogram.disable();
  clearInterval(probe);
  return { result, ms, stallMs: Math.max(longest, histogram.max / 1e6), cpuStallMs: cpuLongest };
}

async function rebuildStall(databaseUrl: string): Promise<void> {
  const dataSource = createDataSource(databaseUrl, 4, undefined, ENTITIES);
  await dataSource.initialize();
  try {
    const index = new ReferenceIndex(dataSource, createLogger('silent'));
    const sliced = await stallDuring(() => index.refresh());
    const rows: { id: string; active_version_id: string }[] = await dataSource.query(
      `SELECT id, active_version_id FROM lists WHERE kind = 'entities'`,
    );
    const lists: { id: string; versionId: string; entries: EntityEntry[] }[] = [];
    for (const row of rows) {
      const entries: EntityEntry[] = [];
      for await (const batch of readEntityEntries(dataSource, row.active_version_id))
        for (const { entry } of batch) entries.push(entry);
      lists.push({ id: row.id, versionId: row.active_version_id, entries });
    }
    const inMemory = await stallDuring(() =>
      Promise.all(lists.map((l) => EntityListIndex.buildSliced(l.id, l.versionId, l.entries))),
    );
    const whole = await stallDuring(async () => lists.map((l) => EntityListIndex.build(l.id, l.versionId, l.entries)));
    console.log(
      `2. rebuild of SDN + UN (${lists.map((l) => `${l.id} ${l.entries.length}`).join(', ')} entries, read from PostgreSQL): ` +
        `sliced ${sliced.ms.toFixed(0)} ms, longest event-loop stall ${sliced.stallMs.toFixed(1)} ms (${sliced.cpuStallMs.toFixed(1)} ms CPU); ` +
        `from memory: sliced ${inMemory.ms.toFixed(0)} ms with stalls up to ${inMemory.stallMs.toFixed(1)} ms (${inMemory.cpuStallMs.toFixed(1)} ms CPU), one-piece ${whole.ms.toFixed(0)} ms, all of it one stall`,
    );
  } finally {
    await dataSource.destroy();
  }
}

async function syntheticStall(): Promise<void> {
  if (SYNTHETIC <= 0) return;
  const parts = extractNameParts([...(await loadOfac('ofac-sdn-2019')), ...(await loadUn())]);
  const r = rng(7);
  const entries: EntityEntry[] = Array.from({ length: SYNTHETIC }, (_, i) => {
    const person = r() < 0.7;
    return {
      entryId: `S${i}`,
      kind: person ? 'person' : 'organization',
      names: [person ? personName(r, parts) : companyName(r, parts)],
      countries: [],
      programs: ['SYNTHETIC'],
      identifiers: [],
    };
  });
  const sliced = await stallDuring(() => EntityListIndex.buildSliced('synthetic', '1', entries));
  console.log(
    `3. build of ${SYNTHETIC} synthetic names: sliced ${(sliced.ms / 1000).toFixed(1)} s, longest event-loop stall ${sliced.stallMs.toFixed(1)} ms (${sliced.cpuStallMs.toFixed(1)} ms CPU)`,
  );
  if (process.env.BENCH_ONE_PIECE === '0') return;
  (sliced as { result: unknown }).result = undefined;
  (globalThis as { gc?: () => void }).gc?.();
  const whole = await stallDuring(async () => EntityListIndex.build('synthetic', '1', entries));
  console.log(
    `   one-piece build for comparison: ${(whole.ms / 1000).toFixed(1)} s, all of it one stall (${whole.stallMs.toFixed(0)} ms)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' ',
      )} on ${(await import('node:os')).cpus().length} cores (stalls include time the OS gave to other processes)`,
  );
  const name = `dus_bench_lists_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  try {
    await readYourWrites(dbUrl(name));
    await rebuildStall(dbUrl(name));
  } finally {
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  await syntheticStall();
  console.log('4. one refresh cycle of five unchanged sources served locally (bench/lists-refresh.ts):');
  printRefreshCycles(await measureRefreshCycle(), '  ');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
