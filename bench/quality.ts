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
  const matcher = new PartyMatcher();
  for (const l of await qualityLists()) {
    const entries = l.entries.map((e) => ({
      ...e,
      names: e.names.filter((n) => !held.has(`${l.listId}:${e.entryId}:${n}`)),
    }));
    matcher.setList(EntityListIndex.build(l.listId, 'quality', entries));
  }
  const band = SCORE_BANDS.review;
  const verbose = process.env.QUALITY_VERBOSE === '1';
  const perRule = new Map<string, { n: number; bad: number }>();
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  let strongPositives = 0;
  for (const c of set.cases) {
    const matches = matcher.screen({ name: c.query }, { minScore: 0.5, limit: 50 });
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
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
