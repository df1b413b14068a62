/**
 * Matching quality on the labelled set test/fixtures/quality/quality-set.json (built by
 * bench/support/build-quality-set.ts): recall of positives and false-positive rate of negatives at the review
 * band. Run: npx tsx bench/quality.ts   (QUALITY_VERBOSE=1 lists every miss and false positive).
 * Targets: recall >= 0.98, FPR <= 0.02.
 */
import { readFileSync } from 'node:fs';
import { EntityListIndex, PartyMatcher, SCORE_BANDS } from '../src/screening/matching';
import { QUALITY_SET_PATH } from './support/build-quality-set';
import { qualityLists } from './support/quality-lists';
import type { HeldOut, QualityCase } from './support/quality-rules';

interface QualitySet {
  heldOut: HeldOut[];
  cases: QualityCase[];
}

async function main(): Promise<void> {
  const set = JSON.parse(readFileSync(QUALITY_SET_PATH, 'utf8')) as QualitySet;
  const held = new Set(set.heldOut.map((h) => `${h.listId}:${h.entryId}:${h.name}`));
  // With the answer cache, as the service runs it (MATCH_CACHE_QUERIES); every case is asked again at the end.
  const matcher = new PartyMatcher({ cachedQueries: 10_000 });
  const indexes: EntityListIndex[] = [];
  for (const l of await qualityLists()) {
    const entries = l.entries.map((e) => ({
      ...e,
      names: e.names.filter((n) => !held.has(`${l.listId}:${e.entryId}:${n}`)),
    }));
    indexes.push(EntityListIndex.build(l.listId, 'quality', entries));
  }
  for (const index of indexes) matcher.setList(index);
  const band = SCORE_BANDS.review;
  const verbose = process.env.QUALITY_VERBOSE === '1';
  const perRule = new Map<string, { n: number; bad: number }>();
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  let strongPositives = 0;
  const answers: string[] = [];
  for (const c of set.cases) {
    const matches = matcher.screen({ name: c.query }, { minScore: 0.5, limit: 50 });
    answers.push(JSON.stringify(matches));
    const stat = perRule.get(`${c.label}: ${c.rule}`) ?? { n: 0, bad: 0 };
    stat.n++;
    perRule.set(`${c.label}: ${c.rule}`, stat);
    if (c.label === 'positive') {
      const hit = matches.find((m) => `${m.listId}:${m.entryId}` === c.expected);
      if (hit !== undefined && hit.score >= band) {
        tp++;
        if (hit.score >= SCORE_BANDS.strong) strongPositives++;
      } else {
        fn++;
        stat.bad++;
        if (verbose)
          console.log(
            `MISS  ${hit?.score.toFixed(3) ?? '  -  '} "${c.query}" -> ${c.expected} [${c.rule}] ${hit?.explanation.summary ?? `top: ${matches[0]?.explanation.summary ?? 'none'}`}`,
          );
      }
    } else {
      const top = matches[0];
      if (top !== undefined && top.score >= band) {
        fp++;
        stat.bad++;
        if (verbose) console.log(`FP    ${top.score.toFixed(3)} "${c.query}" [${c.rule}] ${top.explanation.summary}`);
      } else {
        tn++;
      }
    }
  }
  console.log(
    `\nquality set: ${set.cases.length} cases (${tp + fn} positives, ${fp + tn} negatives), review band ${band}`,
  );
  console.log(`recall ${(tp / (tp + fn)).toFixed(4)} (${fn} missed; ${strongPositives} positives in the strong band)`);
  console.log(`false-positive rate ${(fp / (fp + tn)).toFixed(4)} (${fp} of ${fp + tn} negatives flagged)`);
  console.table(Object.fromEntries([...perRule].map(([k, v]) => [k, { cases: v.n, wrong: v.bad }])));
  // Asked again: the answers come from the matcher's cache, and must be the ones a fresh matcher gave.
  const fresh = new PartyMatcher();
  for (const index of indexes) fresh.setList(index);
  let same = 0;
  set.cases.forEach((c, i) => {
    const again = JSON.stringify(matcher.screen({ name: c.query }, { minScore: 0.5, limit: 50 }));
    if (again === answers[i] && again === JSON.stringify(fresh.screen({ name: c.query }, { minScore: 0.5, limit: 50 })))
      same++;
  });
  console.log(
    `asked again (from the answer cache, ${matcher.cachedAnswers} answers held): ${same} of ${set.cases.length} answers identical to the first and to a matcher without a cache`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
