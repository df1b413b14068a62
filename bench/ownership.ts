/**
 * Ownership resolution benchmark (issue 13), in process, no database.
 *   npm run bench:ownership                    (or: BENCH_EDGES=200000 npx tsx bench/ownership.ts)
 * Builds a synthetic list of 60,000 entries (15,000 persons, a third of them listed; 45,000 context companies) and a
 * graph of 100,000 links between them: ownership with percentages (persons and companies owning companies, so chains
 * and cycles occur), ownership without a percentage, directorships, family and association ties, "Linked To:".
 * Prints:
 * 1. The build time of the graph (target split, worklist fixed point) and its size.
 * 2. What ownership resolution adds to a party screening: for 10,000 screenings of distinct companies, the time of the
 *    context check, the graph lookup (verdicts are settled at build) and the hit it builds, for
 *    every match the screening returned. Target: p99 under 1 ms. The matcher's own time is printed beside it.
 */
import type { EntityEntry, LinkKind } from '../src/domain/list-entry';
import { LoadedLists } from '../src/screening/loaded-lists';
import { EntityListIndex } from '../src/screening/matching';
import type { GraphLink } from '../src/screening/ownership/graph';
import { buildListGraph, buildListGraphSliced } from '../src/screening/ownership/list-graph';
import { ownershipHit } from '../src/screening/ownership/ownership-hits';
import { loadRuleset } from '../src/screening/ruleset';
import { fmtMs, heapMb, percentile } from './support/stats';
import { rng } from './support/variants';

const EDGES = Number(process.env.BENCH_EDGES ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 10_000);
const PERSONS = Math.round(EDGES * 0.15);
const COMPANIES = Math.round(EDGES * 0.45);

const r = rng(13);
const SYL = [
  'ka',
  'ro',
  'mi',
  'tal',
  'ver',
  'sko',
  'lin',
  'dor',
  'pra',
  'zek',
  'ust',
  'bel',
  'gor',
  'nov',
  'ark',
  'vil',
  'tem',
  'sar',
  'ol',
  'uni',
];
const word = (n: number) => Array.from({ length: n }, () => SYL[Math.floor(r() * SYL.length)]).join('');
const int = (n: number) => Math.floor(r() * n);

function entries(): EntityEntry[] {
  const out: EntityEntry[] = [];
  for (let i = 0; i < PERSONS; i += 1) {
    out.push({
      entryId: `p${i}`,
      kind: 'person',
      names: [`${word(2)} ${word(3)}`],
      countries: ['RU'],
      programs: i % 3 === 0 ? ['SYN'] : [],
      identifiers: [],
      topics: i % 3 === 0 ? ['sanction'] : [],
    });
  }
  for (let i = 0; i < COMPANIES; i += 1) {
    out.push({
      entryId: `c${i}`,
      kind: 'organization',
      names: [`${word(3)} ${word(2)} ${word(2)} LLC`],
      countries: ['RU'],
      programs: [],
      identifiers: [],
      topics: [],
    });
  }
  return out;
}

function links(): GraphLink[] {
  const out: GraphLink[] = [];
  const person = () => `p${int(PERSONS)}`;
  const company = () => `c${int(COMPANIES)}`;
  for (let i = 0; i < EDGES; i += 1) {
    const roll = r();
    let kind: LinkKind;
    let fromId: string;
    let toId = company();
    let percentage: number | undefined;
    if (roll < 0.55) {
      kind = 'ownership';
      fromId = r() < 0.6 ? person() : company();
      percentage = 5 + int(96);
    } else if (roll < 0.7) {
      kind = 'ownership';
      fromId = person();
    } else if (roll < 0.8) {
      kind = 'directorship';
      fromId = person();
    } else if (roll < 0.9) {
      kind = r() < 0.5 ? 'family' : 'associate';
      fromId = person();
      toId = person();
    } else {
      kind = 'linked-to';
      fromId = r() < 0.5 ? person() : company();
    }
    if (fromId === toId) continue;
    out.push({ linkId: `l${i}`, kind, fromId, toId, ...(percentage !== undefined ? { percentage } : {}) });
  }
  return out;
}

async function main(): Promise<void> {
  const ruleset = loadRuleset();
  const all = entries();
  const graphLinks = links();
  const index = EntityListIndex.build('bench', 'v1', all);
  const heapBefore = heapMb();
  const t0 = performance.now();
  const parts = buildListGraph(all, graphLinks, {
    targetTopics: ruleset.targetTopics,
    threshold: ruleset.ownership.threshold,
  });
  const buildMs = performance.now() - t0;
  const heapAfter = heapMb();
  const graph = parts.graph!;
  console.log(
    `graph: ${graph.linkCount} links, ${graph.nodeCount} nodes, ${all.length} entries (${parts.context?.size ?? 0} context); build ${buildMs.toFixed(1)} ms in one piece, +${(heapAfter - heapBefore).toFixed(0)} MB`,
  );
  // The serving process builds in slices: report its longest stretch without an event-loop turn.
  let longest = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const t3 = performance.now();
  await buildListGraphSliced(all, graphLinks, {
    targetTopics: ruleset.targetTopics,
    threshold: ruleset.ownership.threshold,
  });
  const slicedMs = performance.now() - t3;
  clearInterval(probe);
  console.log(
    `sliced build (as a serving process loads it): ${slicedMs.toFixed(1)} ms, longest event-loop stall ${longest.toFixed(1)} ms`,
  );

  const lists = new LoadedLists(
    1,
    new Map([['bench', { kind: 'entities' as const, versionId: 'v1', entities: index, ...parts }]]),
  );
  const queries = Array.from({ length: QUERIES }, (_, i) => all[PERSONS + ((i * 7919) % COMPANIES)]);
  const matchLat = new Float64Array(QUERIES);
  const addedLat = new Float64Array(QUERIES);
  // CPU time of the same work (process.cpuUsage, µs): what it costs without the waits of a shared, loaded machine.
  const addedCpu = new Float64Array(QUERIES);
  let hits = 0;
  let owned = 0;
  for (let i = 0; i < QUERIES; i += 1) {
    const party = { name: queries[i].names[0], country: 'RU' };
    const t1 = performance.now();
    const matches = lists.matcher.screen(party, { minScore: ruleset.partyBands.review, limit: 5 });
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    // What screenParties does beyond matching: the context check, the graph lookup and the hit it builds.
    for (const m of matches) {
      lists.isContext(m.listId, m.entryId);
      const v = lists.ownership(m.listId, m.entryId);
      if (v) {
        const h = ownershipHit('consignee', party as never, m, v, lists, ruleset);
        hits += 1;
        if (h.evidence?.basis === 'owned') owned += 1;
      }
    }
    addedLat[i] = performance.now() - t2;
    const c3 = process.cpuUsage(c2);
    addedCpu[i] = (c3.user + c3.system) / 1000;
    matchLat[i] = t2 - t1;
  }
  addedLat.sort();
  addedCpu.sort();
  matchLat.sort();
  console.log(
    `ownership added per party screening (${QUERIES} screenings of distinct companies, verdicts precomputed at build): median ${fmtMs(percentile(addedLat, 50))}, p99 ${fmtMs(percentile(addedLat, 99))}, max ${fmtMs(addedLat[addedLat.length - 1])}`,
  );
  console.log(
    `  CPU time of the same: median ${fmtMs(percentile(addedCpu, 50))}, p99 ${fmtMs(percentile(addedCpu, 99))}`,
  );
  console.log(
    `  (matcher alone: median ${fmtMs(percentile(matchLat, 50))}, p99 ${fmtMs(percentile(matchLat, 99))}); ownership hits ${hits}, of which owned >= ${ruleset.ownership.threshold * 100}%: ${owned}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
