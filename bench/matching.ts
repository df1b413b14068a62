/**
 * Party matching benchmark.
 *   npx tsx bench/matching.ts                      (SDN + UN part, then the 1M synthetic part)
 *   node --expose-gc --max-old-space-size=4096 --import tsx bench/matching.ts   (exact heap figures)
 *   BENCH_SYNTHETIC=1000000 npm run bench:matching   (only the 1M stage; 0 for SDN + UN only)
 * Synthetic stages (BENCH_SYNTHETIC, comma-separated name counts, default 1000000,5000000): up to 1,000,000 names
 * one Latin name per entry, as first measured; above, entities with aliases in Latin and Cyrillic, shaped like the
 * OpenSanctions default collection (synthetic-list.ts). Each stage is dropped before the next one is built.
 * Prints build time (wall and CPU), heap used after build, and median / p99 latency of >= 10,000 screen() calls, one core:
 * "cold" empties the per-token similarity cache before every query (every token new), "warm" keeps it, as a
 * running service does; the per-kind lines (exact / variant / random) are warm.
 * Then a digest of every answer of each stage (answersDigest), to show that a change left the answers as they were.
 * Targets: SDN+UN median < 0.3 ms, p99 < 2 ms; 1M names median < 5 ms, p99 < 25 ms, build < 90 s, heap < 3 GB;
 * 5M names median < 3 ms, p99 < 15 ms, build < 60 s, heap < 2 GB.
 * Wall-clock figures need a quiet machine; the CPU-time figures (process CPU time of the build, and of each query in
 * a second pass) hold up better when other processes share the cores.
 */
import { createHash } from 'node:crypto';
import type { EntityEntry } from '../src/domain/list-entry';
import { EntityListIndex, PartyMatcher } from '../src/screening/matching';
import { AddressIndex } from '../src/screening/matching/address-index';
import { runToEnd } from '../src/screening/matching/typed-buffers';
import { loadOfac, loadUn } from '../test/support/fixture-lists';
import { extractNameParts } from './support/name-parts';
import { queryMix } from './support/query-mix';
import { fmtMs, heapMb, percentile, timeQueries } from './support/stats';
import { aliasedEntries, singleNameEntries } from './support/synthetic-list';
import { rng } from './support/variants';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 10000);
const STAGES = (process.env.BENCH_SYNTHETIC ?? '1000000,5000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Like timeQueries, in process CPU time (microsecond resolution; GC threads count too). */
function cpuTimeQueries<T>(queries: readonly T[], fn: (q: T) => unknown): Float64Array {
  const lat = new Float64Array(queries.length);
  for (let i = 0; i < queries.length; i++) {
    const t = cpuMs();
    fn(queries[i]);
    lat[i] = cpuMs() - t;
  }
  return lat.sort();
}

function report(label: string, lat: Float64Array): void {
  console.log(
    `${label}: ${lat.length} queries, median ${fmtMs(percentile(lat, 50))}, p99 ${fmtMs(percentile(lat, 99))}, max ${fmtMs(lat[lat.length - 1])}`,
  );
}

function screenAll(
  matcher: PartyMatcher,
  indexes: EntityListIndex[],
  queries: { name: string }[],
  label: string,
): void {
  // Warm-up: let the JIT compile the hot path before measuring.
  for (let i = 0; i < Math.min(2000, queries.length); i++) matcher.screen(queries[i]);
  // Cold: no token seen before (the per-token cache emptied before every query) - the worst case.
  const cold = (q: { name: string }) => {
    for (const index of indexes) index.clearCaches();
    matcher.screen(q);
  };
  report(`${label} cold`, timeQueries(queries, cold));
  for (const index of indexes) index.clearCaches();
  report(
    `${label} warm`,
    timeQueries(queries, (q) => matcher.screen(q)),
  );
  // The same queries again, timed in process CPU time: what a query costs when it is not waiting for a core.
  report(`${label} cold, CPU time`, cpuTimeQueries(queries, cold));
  for (const index of indexes) index.clearCaches();
  report(
    `${label} warm, CPU time`,
    cpuTimeQueries(queries, (q) => matcher.screen(q)),
  );
}

/**
 * A digest of every answer (matches, scores, explanations) to the stage's queries, asked once more after the timing:
 * a change meant only to be faster must leave it as it was (compare it with the same bench run on the commit before).
 */
function answersDigest(matcher: PartyMatcher, queries: { name: string }[], label: string): void {
  const perQuery = queries.map((q) =>
    createHash('sha1')
      .update(JSON.stringify(matcher.screen(q)))
      .digest('hex'),
  );
  console.log(`${label} answers digest: ${createHash('sha1').update(perQuery.join('\n')).digest('hex')}`);
}

async function realLists(): Promise<EntityEntry[]> {
  const baseHeap = heapMb();
  const sdn = await loadOfac('ofac-sdn-2019');
  const un = await loadUn();
  const sdnNames = sdn.reduce((n, e) => n + e.names.length, 0);
  console.log(`OFAC SDN 2019: ${sdn.length} entries, ${sdnNames} names; UN: ${un.length} entries`);
  const heapEntries = heapMb();
  const t0 = performance.now();
  const sdnIndex = EntityListIndex.build('ofac-sdn', '2019-01', sdn);
  const unIndex = EntityListIndex.build('un', '2026-02-27', un);
  const buildMs = performance.now() - t0;
  const heapIndex = heapMb();
  console.log(
    `build ${fmtMs(buildMs)} (${sdnIndex.nameCount + unIndex.nameCount} names), heap: entries ${(heapEntries - baseHeap).toFixed(1)} MB + index ${(heapIndex - heapEntries).toFixed(1)} MB`,
  );
  // The address index is part of the build above; timed again alone here so its share is visible.
  const addressCount = [...sdn, ...un].reduce((n, e) => n + (e.addresses?.length ?? 0), 0);
  const a0 = performance.now();
  const specific = runToEnd(AddressIndex.steps(sdn)).size + runToEnd(AddressIndex.steps(un)).size;
  console.log(
    `  of which addresses: ${addressCount} listed, ${specific} specific (indexed), ${fmtMs(performance.now() - a0)}`,
  );
  const matcher = new PartyMatcher();
  matcher.setList(sdnIndex);
  matcher.setList(unIndex);
  const all = [...sdn, ...un];
  const queries = queryMix(all, extractNameParts(all), QUERIES, rng(42));
  screenAll(matcher, [sdnIndex, unIndex], queries, 'SDN+UN screen()');
  for (const kind of ['exact', 'variant', 'random'] as const) {
    const subset = queries.filter((q) => q.kind === kind);
    report(
      `  ${kind.padEnd(7)}`,
      timeQueries(subset, (q) => matcher.screen(q)),
    );
  }
  answersDigest(matcher, queries, 'SDN+UN');
  return all;
}

async function syntheticStage(parts: ReturnType<typeof extractNameParts>, count: number): Promise<void> {
  const aliased = count > 1_000_000;
  const entries = aliased ? [...aliasedEntries(parts, count, rng(11))] : [...singleNameEntries(parts, count, rng(7))];
  console.log(
    `\nsynthetic list of ${count} names in ${entries.length} entries (${aliased ? 'with aliases in Latin and Cyrillic' : 'one Latin name each'}) from ${parts.givenNames.length} given names, ${parts.surnames.length} surnames, ${parts.companyWords.length} company words (with repeats)`,
  );
  const heapEntries = heapMb();
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const index = EntityListIndex.build('synthetic', '1', entries);
  const buildMs = performance.now() - t0;
  const buildCpu = cpuMs() - cpu0;
  const heapAll = heapMb();
  console.log(
    `build ${(buildMs / 1000).toFixed(1)} s (CPU ${(buildCpu / 1000).toFixed(1)} s), ${index.nameCount} names indexed, heap total ${heapAll.toFixed(0)} MB (entries ${heapEntries.toFixed(0)} MB, index ${(heapAll - heapEntries).toFixed(0)} MB), vocabulary ${JSON.stringify(index.vocabularySize)}`,
  );
  const matcher = new PartyMatcher();
  matcher.setList(index);
  const queries = queryMix(entries, parts, QUERIES, rng(43));
  const label = count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`;
  screenAll(matcher, [index], queries, `${label} screen()`);
  for (const kind of ['exact', 'variant', 'random'] as const) {
    const subset = queries.filter((q) => q.kind === kind);
    report(
      `  ${kind.padEnd(7)}`,
      timeQueries(subset, (q) => matcher.screen(q)),
    );
  }
  answersDigest(matcher, queries, label);
}

async function main(): Promise<void> {
  const real = await realLists();
  const parts = extractNameParts(real);
  for (const count of STAGES) await syntheticStage(parts, count);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
