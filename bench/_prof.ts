import { EntityListIndex, PartyMatcher } from '../src/screening/matching';
import { loadOfac, loadUn } from './support/fixture-lists';
import { extractNameParts } from './support/name-parts';
import { queryMix } from './support/query-mix';
import { aliasedEntries } from './support/synthetic-list';
import { rng } from './support/variants';
import { heapMb, timeQueries, percentile, fmtMs } from './support/stats';
(async () => {
  const all = [...await loadOfac('ofac-sdn-2019'), ...await loadUn()];
  const parts = extractNameParts(all);
  const n = Number(process.env.N ?? 500000);
  const entries = [...aliasedEntries(parts, n, rng(11))];
  const h0 = heapMb();
  let t = performance.now();
  const index = EntityListIndex.build('s', '1', entries);
  console.log('build', ((performance.now() - t) / 1000).toFixed(1), 's', index.nameCount, 'heap', h0.toFixed(0), heapMb().toFixed(0));
  const m = new PartyMatcher(); m.setList(index);
  const qs = queryMix(entries, parts, Number(process.env.Q ?? 3000), rng(43));
  for (let i = 0; i < 500; i++) m.screen(qs[i]);
  const lat = timeQueries(qs, (q) => m.screen(q));
  console.log('warm p50', fmtMs(percentile(lat, 50)), 'p99', fmtMs(percentile(lat, 99)));
  if (process.env.SHOW) {
    const slow = qs.map((q) => { const t0 = performance.now(); m.screen(q); return [performance.now() - t0, q.name, q.kind] as const; }).sort((a, b) => b[0] - a[0]).slice(0, 15);
    console.log(slow);
  }
})();
