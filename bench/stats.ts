/**
 * Statistics benchmark against the real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *   npm run bench:stats [-- declarations=1000000]
 * Seeds N declarations spread over the last 365 days (INSERT ... SELECT generate_series, the same row shapes the
 * service writes: body, submission screening with its hits, review case, decision) with realistic rates: 8% carry a
 * controlled line (goods hit, REVIEW), 1.5% a listed party (BLOCK); cases older than two days are decided. Then prints:
 *  1. the seeding time and the time to roll up the 365 days (what the first request of a fresh install pays;
 *     after that one day a day) and to roll up one day;
 *  2. p50/p95 latency of every endpoint over HTTP for a 30-day and a 365-day range (and with an organisation filter).
 * It creates and drops its own database (BENCH_KEEP_DB=1 keeps it, to look at query plans); no Redis needed.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { dbUrl, withAdmin } from './support/database';
import { percentile } from './support/stats';
import { loadConfig } from '../src/config/config';
import { createService } from '../src/composition';

const N = Number(process.argv[2] ?? 1_000_000);
const CHUNK = 50_000;
const RUNS = 30;

/** One chunk of declarations [lo, hi] with their screenings and cases, in one statement like the service's writer. */
const SEED_SQL = `
WITH src AS MATERIALIZED (
  SELECT g, gen_random_uuid() AS did, gen_random_uuid() AS sid, gen_random_uuid() AS cid,
         date_trunc('milliseconds', now() - random() * interval '365 days') AS at,
         (ARRAY['acme-brokers', 'globex-logistics', 'steppe-customs', 'altyn-trade', 'caspian-forwarding'])[1 + g % 5] AS org,
         (ARRAY['import', 'export', 'transit'])[1 + (g / 7) % 3] AS procedure,
         random() AS r1, random() AS r2,
         (ARRAY['DE', 'CN', 'US', 'TR', 'JP', 'KR', 'FR', 'IT'])[1 + (g / 3) % 8] AS origin,
         (ARRAY['KZ', 'RU', 'KG', 'UZ', 'AM'])[1 + (g / 11) % 5] AS dest,
         (ARRAY['9403.60', '6403.99', '8471.30', '3926.90', '6109.10', '8708.29'])[1 + (g / 13) % 6] AS hs,
         (ARRAY['8542.31', '8517.62', '8482.10', '8526.91', '8532.24'])[1 + (g / 17) % 5] AS controlled
  FROM generate_series($1::int, $2::int) g),
x AS (
  SELECT src.*, r1 < 0.08 AS goods, r2 < 0.015 AS party,
         CASE WHEN r2 < 0.015 THEN 'BLOCK' WHEN r1 < 0.08 THEN 'REVIEW' ELSE 'CLEAR' END AS outcome
  FROM src),
y AS (
  SELECT x.*,
    jsonb_build_object(
      'reference', 'BENCH-' || g, 'procedure', procedure, 'countryOfDispatch', 'KZ', 'countryOfDestination', dest,
      'declarant', jsonb_build_object('name', 'Kedendik Broker LLP', 'country', 'KZ'),
      'consignor', jsonb_build_object('name', 'Consignor ' || (g % 997), 'country', origin),
      'consignee', jsonb_build_object('name', 'Consignee ' || (g % 991), 'country', dest),
      'items', jsonb_build_array(
        jsonb_build_object('lineNo', 1, 'hsCode', CASE WHEN goods THEN controlled ELSE hs END, 'description', 'Line one', 'countryOfOrigin', origin,
                           'quantity', 10, 'value', jsonb_build_object('amount', 1000 + g % 9000, 'currency', 'USD')),
        jsonb_build_object('lineNo', 2, 'hsCode', hs, 'description', 'Line two', 'countryOfOrigin', 'CN',
                           'quantity', 5, 'value', jsonb_build_object('amount', 200 + g % 800, 'currency', 'EUR')))) AS body,
    (CASE WHEN goods THEN jsonb_build_array(jsonb_build_object(
        'id', 'g-' || g, 'kind', 'goods', 'severity', 'high', 'score', 1, 'subject', 'items[0]', 'listId', 'chpl',
        'entryId', replace(controlled, '.', ''), 'matched', 'CHPL ' || controlled, 'explanation', 'line 1 is controlled', 'weight', 30))
      ELSE '[]'::jsonb END)
    || (CASE WHEN party THEN jsonb_build_array(jsonb_build_object(
        'id', 'p-' || g, 'kind', 'party', 'severity', 'critical', 'score', 0.97, 'subject', 'consignee', 'listId', 'ofac-sdn',
        'entryId', (g % 400)::text, 'matched', 'SDN entry ' || (g % 400), 'explanation', 'consignee matches', 'weight', 60))
      ELSE '[]'::jsonb END) AS hits
  FROM x),
d AS (
  INSERT INTO declarations (id, organization, reference, procedure, body, status, outcome, risk_score, latest_screening_id, submitted_by, created_at, updated_at)
  SELECT did, org, 'BENCH-' || g, procedure, body, CASE outcome WHEN 'CLEAR' THEN 'cleared' WHEN 'BLOCK' THEN 'refused' ELSE 'released' END,
         outcome, CASE outcome WHEN 'CLEAR' THEN 0 WHEN 'BLOCK' THEN 90 ELSE 45 END, sid, $3, at, at FROM y),
s AS (
  INSERT INTO screenings (id, declaration_id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at)
  SELECT sid, did, 'submission', outcome, CASE outcome WHEN 'CLEAR' THEN 0 WHEN 'BLOCK' THEN 90 ELSE 45 END, hits, '{}'::jsonb, 'bench', at FROM y),
c AS (
  INSERT INTO review_cases (id, declaration_id, organization, status, level, priority, risk_score, deadline, created_at, updated_at, closed_at, resolution)
  SELECT cid, did, org, CASE WHEN at > now() - interval '2 days' THEN 'open' ELSE 'closed' END, outcome, CASE outcome WHEN 'BLOCK' THEN 1 ELSE 2 END,
         50, at + interval '8 hours', at, at,
         CASE WHEN at > now() - interval '2 days' THEN NULL ELSE at + (5 + random() * 900) * interval '1 minute' END,
         CASE WHEN at > now() - interval '2 days' THEN NULL WHEN outcome = 'BLOCK' THEN 'refused' ELSE 'released' END
  FROM y WHERE outcome <> 'CLEAR')
SELECT count(*)::int AS n FROM y`;

async function main(): Promise<void> {
  const name = `dus_bench_stats_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE "${name}"`);
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const config = loadConfig(
    {},
    { DATABASE_URL: dbUrl(name), BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', DB_POOL_SIZE: 10 },
  );
  const service = await createService(config, 'api');
  let server: Server | undefined;
  try {
    const ds = service.db.dataSource;
    const [{ id: adminId }] = await ds.query(`SELECT id FROM api_keys LIMIT 1`);
    const reviewers: { id: string }[] = await ds.query(
      `INSERT INTO api_keys (name, role, organization, secret_hash, secret_prefix, person)
       SELECT 'reviewer ' || i, 'reviewer', 'customs-authority', md5(random()::text), 'x', 'reviewer-' || i || '@bench.example' FROM generate_series(1, 12) i RETURNING id`,
    );

    let t = performance.now();
    for (let lo = 1; lo <= N; lo += CHUNK) {
      await ds.query(SEED_SQL, [lo, Math.min(N, lo + CHUNK - 1), adminId]);
      process.stdout.write(`\rseeded ${Math.min(N, lo + CHUNK - 1).toLocaleString('en')} declarations`);
    }
    await ds.query(
      `INSERT INTO case_decisions (case_id, declaration_id, action, level, reason, decided_by, decided_by_role, decided_at, approval)
       SELECT c.id, c.declaration_id, 'release', c.level, 'bench', ($1::uuid[])[1 + abs(hashtext(c.id::text)) % 12], 'reviewer', c.closed_at, 'not_required'
       FROM review_cases c WHERE c.closed_at IS NOT NULL`,
      [reviewers.map((r) => r.id)],
    );
    await ds.query('VACUUM ANALYZE'); // what autovacuum does to tables this size: index-only scans need the visibility map
    const [counts] =
      await ds.query(`SELECT (SELECT count(*) FROM declarations) AS declarations, (SELECT count(*) FROM review_cases) AS cases,
      (SELECT count(*) FROM review_cases WHERE closed_at IS NULL) AS open, (SELECT count(*) FROM case_decisions) AS decisions`);
    console.log(`\nseeded in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

    t = performance.now();
    const days = await service.stats.service.rollUp(366);
    console.log(`rolled up ${days} days (to the watermark) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await ds.query(`DELETE FROM stats_daily WHERE day = (now() - interval '5 days')::date`);
    await ds.query(`DELETE FROM stats_rollup_days WHERE day = (now() - interval '5 days')::date`);
    t = performance.now();
    await service.stats.service.rollUp(366);
    console.log(`rolled up one day in ${(performance.now() - t).toFixed(0)} ms (the daily cost)`);
    const [{ rows }] = await ds.query(`SELECT count(*) AS rows FROM stats_daily`);
    console.log(`stats_daily rows: ${rows}`);

    server = service.app!.listen(0);
    await new Promise<void>((r) => server!.once('listening', () => r()));
    const port = (server.address() as { port: number }).port;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const endpoints = [
      'outcomes?interval=day',
      'outcomes?interval=week',
      'hits?by=list',
      'hits?by=entry',
      'hits?by=hsChapter',
      'hits?by=originCountry',
      'hits?by=destinationCountry',
      'cases?',
      'reexport?',
      'hits?by=entry&organization=acme-brokers',
      'outcomes?interval=day&organization=acme-brokers',
    ];
    console.log('\nendpoint                                      range   p50 ms   p95 ms');
    for (const span of [30, 365]) {
      for (const e of endpoints) {
        const url = `http://127.0.0.1:${port}/v1/stats/${e}${e.endsWith('?') ? '' : '&'}from=${day(-(span - 1))}&to=${day(0)}`;
        const lat: number[] = [];
        for (let i = 0; i < RUNS + 3; i++) {
          const s = performance.now();
          const res = await fetch(url, { headers: { Authorization: `Bearer ${adminKey}` } });
          if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
          if (i >= 3) lat.push(performance.now() - s);
        }
        lat.sort((a, b) => a - b);
        console.log(
          `${e.padEnd(46)}${String(span).padStart(5)}d ${percentile(lat, 50).toFixed(1).padStart(8)} ${percentile(lat, 95).toFixed(1).padStart(8)}`,
        );
      }
    }
  } finally {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await service.close();
    if (process.env.BENCH_KEEP_DB) console.log(`kept database ${name}`);
    else await withAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
