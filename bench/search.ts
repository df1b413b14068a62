/**
 * Search benchmark against the real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *   npm run bench:search [-- declarations=1000000]   (or `-- keys`: only the CPU cost of a declaration's keys)
 * Seeds N declarations over the last year, oldest first as a live system stores them, with their search keys
 * and party names (INSERT ... SELECT generate_series, in chunks; the search indexes other than the primary keys are
 * built after the load, as a restore would) and measures GET /v1/declarations over HTTP as a reviewer (every
 * organisation) and as a broker: p50/p95 of party-name search (names of the 2019 OFAC SDN list and of OpenSanctions
 * records in Cyrillic for a share, queried in Latin script; the rest synthetic company names), identifier search,
 * HS code prefix, list entry and a combination. Party names are folded by the same code the writer uses (search-keys.ts).
 * It creates and drops its own database (BENCH_KEEP_DB=1 keeps it, to look at query plans); no Redis needed.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { dbUrl, withAdmin } from './support/database';
import { percentile } from './support/stats';
import { loadConfig } from '../src/config/config';
import { createService } from '../src/composition';
import { declarationSchema } from '../src/screening/declaration-input';
import { foldedName, partyNames, searchKeysOf } from '../src/declarations/search-keys';
import { declaration } from './support/service';
import { transliterate } from '../src/screening/matching/transliterate';

const N = Number(process.argv[2] ?? 1_000_000);
const CHUNK = 50_000;
const RUNS = 200;
const DATA = join(__dirname, '..', 'test', 'fixtures', 'data', 'entities');
const ORGS = ['acme-brokers', 'globex-logistics', 'steppe-customs', 'altyn-trade', 'caspian-forwarding'];

/** Real names: the 2019 SDN list (Latin) and the Cyrillic names of the OpenSanctions samples. */
function realNames(): { latin: string[]; cyrillic: string[] } {
  const sdn = parse(readFileSync(join(DATA, 'ofac-sdn-2019', 'sdn.csv')), {
    relax_quotes: true,
    relax_column_count: true,
  }) as string[][];
  const latin = [...new Set(sdn.map((r) => r[1]).filter((n) => n && n !== '-0-'))];
  const cyrillic = new Set<string>();
  for (const file of ['yente_t1_eu_fsf_entities.ftm.json', 'yente_zala_cluster_entities.ftm.json']) {
    for (const line of readFileSync(join(DATA, 'opensanctions', file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const e = JSON.parse(line) as { properties?: Record<string, string[]> };
      for (const n of [...(e.properties?.name ?? []), ...(e.properties?.alias ?? [])])
        if (/[\u0400-\u04ff]/.test(n)) cyrillic.add(n);
    }
  }
  return { latin, cyrillic: [...cyrillic] };
}

const FIRST = [
  'Altyn',
  'Steppe',
  'Caspian',
  'Eurasia',
  'Nomad',
  'Saryarka',
  'Baikonur',
  'Almaty',
  'Astana',
  'Ural',
  'Sibir',
  'Volga',
  'Amur',
  'Tengri',
  'Kazakh',
  'Turan',
  'Oasis',
  'Silk',
  'Aral',
  'Irtysh',
  'Ishim',
  'Tobol',
  'Zhetysu',
  'Kokshe',
  'Balkhash',
  'Khan',
  'Orda',
  'Sary',
  'Ak',
  'Kara',
];
const SECOND = [
  'Logistics',
  'Trade',
  'Components',
  'Parts',
  'Electronics',
  'Machinery',
  'Supply',
  'Textile',
  'Energy',
  'Metals',
  'Invest',
  'Engineering',
  'Systems',
  'Technologies',
  'Industrial',
  'Chemicals',
  'Auto',
  'Agro',
  'Pharm',
  'Optics',
];
const FORMS = ['LLP', 'LLC', 'JSC', 'Ltd', 'OOO', 'TOO', 'AO', 'GmbH'];

const SEED_SQL = `
WITH src AS MATERIALIZED (
  SELECT g, gen_random_uuid() AS did, date_trunc('milliseconds', now() - ($8::int - g) * interval '365 days' / $8::int) AS at,
         ($4::text[])[1 + g % 5] AS org, random() AS r, random() AS r2
  FROM generate_series($1::int, $2::int) g),
x AS (
  SELECT src.*,
    concat_ws(E'\\n',
      'kedendik broker ' || (g % 400),
      CASE WHEN r < 0.25 THEN ($5::text[])[1 + (g * 7) % cardinality($5::text[])] ELSE ($6::text[])[1 + (g * 13) % cardinality($6::text[])] || ' ' || (g % 5000) END,
      ($6::text[])[1 + (g * 31 + 7) % cardinality($6::text[])],
      CASE WHEN r2 < 0.3 THEN ($6::text[])[1 + (g * 17 + 3) % cardinality($6::text[])] END,
      CASE WHEN r2 < 0.1 THEN ($5::text[])[1 + (g * 11) % cardinality($5::text[])] END) AS names,
    ARRAY['i:BIN:' || lpad(((g::bigint * 7919) % 300000)::text, 12, '0'), 'i:' || lpad(((g::bigint * 7919) % 300000)::text, 12, '0'),
          'i:INN:77' || lpad(((g::bigint * 104729) % 900000)::text, 8, '0'), 'i:77' || lpad(((g::bigint * 104729) % 900000)::text, 8, '0'),
          'c:KZ', 'c:' || (ARRAY['RU', 'KG', 'UZ', 'AM', 'CN'])[1 + (g / 11) % 5], 'c:' || (ARRAY['DE', 'CN', 'US', 'TR', 'JP', 'KR'])[1 + (g / 3) % 6]]
    || (SELECT array_agg('h:' || left(code, n)) FROM (SELECT ($7::text[])[1 + (g / 13 + k) % cardinality($7::text[])] AS code FROM generate_series(0, 1) k) c,
          generate_series(2, length(code)) n)
    || CASE WHEN r2 > 0.98 THEN ARRAY['e:ofac-sdn:' || (g % 3000)] ELSE ARRAY[]::text[] END AS keys
  FROM src),
d AS (
  INSERT INTO declarations (id, organization, reference, procedure, body, status, outcome, risk_score, submitted_by, created_at, updated_at)
  SELECT did, org, 'BENCH-' || g, 'import', jsonb_build_object('reference', 'BENCH-' || g), 'cleared', 'CLEAR', 0, $3, at, at FROM x),
pn AS (
  INSERT INTO party_names (folded, id) SELECT DISTINCT n, hashtextextended(n, 0) FROM x, unnest(string_to_array(x.names, E'\\n')) n ON CONFLICT DO NOTHING),
dp AS (
  INSERT INTO declaration_party_names (name_id, created_at, declaration_id, organization)
  SELECT DISTINCT hashtextextended(n, 0), at, did, org FROM x, unnest(string_to_array(x.names, E'\\n')) n ON CONFLICT DO NOTHING)
INSERT INTO declaration_search (declaration_id, organization, created_at, names, keys) SELECT did, org, at, names, keys FROM x`;

const HS = [
  '8542310000',
  '8517620000',
  '8482100000',
  '8526910000',
  '8532240000',
  '9403600000',
  '6403990000',
  '8471300000',
  '3926909709',
  '6109100000',
  '8708299000',
  '8411820000',
  '9013200000',
  '8803300000',
  '2844100000',
  '8456110000',
];

/** What the writer adds in CPU per submission: the search keys of a declaration of 5 parties and 10 lines. */
function keyCost(): void {
  const bodies = Array.from({ length: 20_000 }, () => declarationSchema.parse(declaration()));
  for (const b of bodies.slice(0, 1000)) partyNames(searchKeysOf(b)); // warm-up
  const t = performance.now();
  for (const b of bodies) partyNames(searchKeysOf(b));
  console.log(
    `search keys of a declaration (5 parties, 10 lines): ${(((performance.now() - t) * 1000) / bodies.length).toFixed(1)} µs`,
  );
}

async function main(): Promise<void> {
  keyCost();
  if (process.argv[2] === 'keys') return;
  const { latin, cyrillic } = realNames();
  const real = [...latin, ...cyrillic].map(foldedName).filter(Boolean);
  const synthetic: string[] = [];
  for (const f of FIRST)
    for (const s of SECOND) for (const form of FORMS) synthetic.push(foldedName(`${f} ${s} ${form}`));
  console.log(`names: ${latin.length} SDN, ${cyrillic.length} Cyrillic (OpenSanctions), ${synthetic.length} synthetic`);

  const name = `dus_bench_search_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE "${name}"`);
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const config = loadConfig(
    {},
    {
      DATABASE_URL: dbUrl(name),
      BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: 10,
      RATE_LIMIT_PER_MINUTE: 10_000_000,
    },
  );
  const service = await createService(config, 'api');
  let server: Server | undefined;
  try {
    const ds = service.db.dataSource;
    const [{ id: adminId }] = await ds.query(`SELECT id FROM api_keys LIMIT 1`);
    const indexes: { indexdef: string; indexname: string }[] = await ds.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('declaration_search', 'party_names', 'declaration_party_names') AND indexname NOT LIKE '%_pkey'`,
    );
    for (const i of indexes) await ds.query(`DROP INDEX ${i.indexname}`);
    let t = performance.now();
    for (let lo = 1; lo <= N; lo += CHUNK) {
      await ds.query(SEED_SQL, [lo, Math.min(N, lo + CHUNK - 1), adminId, ORGS, real, synthetic, HS, N]);
      process.stdout.write(`\rseeded ${Math.min(N, lo + CHUNK - 1).toLocaleString('en')} declarations`);
    }
    console.log(`\nseeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    // One connection of its own: the service's statement timeout would cancel an index build over a million rows.
    const runner = ds.createQueryRunner();
    try {
      await runner.connect();
      await runner.query(`SET statement_timeout = 0`);
      await runner.query(`SET maintenance_work_mem = '512MB'`);
      for (const i of indexes) await runner.query(i.indexdef);
      await runner.query('VACUUM ANALYZE declaration_search');
      await runner.query('VACUUM ANALYZE party_names');
      await runner.query('VACUUM ANALYZE declaration_party_names');
      await runner.query('VACUUM ANALYZE declarations');
    } finally {
      await runner.release();
    }
    const [size] =
      await ds.query(`SELECT pg_size_pretty(pg_total_relation_size('declaration_search')) AS total, pg_size_pretty(pg_relation_size('declaration_search_keys')) AS keys_index,
      (SELECT count(*) FROM party_names) AS party_names, pg_size_pretty(pg_total_relation_size('party_names')) AS party_names_size,
      pg_size_pretty(pg_total_relation_size('declaration_party_names')) AS declaration_party_names_size`);
    console.log(
      `search indexes built in ${((performance.now() - t) / 1000).toFixed(1)} s; declaration_search ${JSON.stringify(size)}`,
    );

    server = service.app!.listen(0);
    await new Promise<void>((r) => server!.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const keyOf = async (role: string, organization: string) => {
      const res = await fetch(`${base}/v1/api-keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: role, role, organization, person: `${role}@bench.example` }),
      });
      return ((await res.json()) as { secret: string }).secret;
    };
    const reviewer = await keyOf('reviewer', 'customs-authority');
    const broker = await keyOf('broker', ORGS[0]);

    // Query values drawn from what is stored: real names spelt as the list spells them (Cyrillic ones transliterated to
    // Latin, as a reviewer would type them), synthetic names, identifiers and list entries that exist.
    const pick = <T>(a: T[], i: number) => a[(i * 7919) % a.length];
    const stored = (i: number) => 1 + ((i * 4999) % N); // a generate_series number that was seeded
    const searchable = (n: string) => foldedName(n).replace(/ /g, '').length >= 3; // the API refuses shorter names
    const latinQueries = latin.filter(searchable);
    // Real names each stand in ~100 declarations; a synthetic "Altyn Logistics" in thousands (the worst case: a
    // common name, whose matches must be found among many).
    const realQueries = Array.from({ length: RUNS }, (_, i) =>
      i % 3 === 0 ? transliterate(pick(cyrillic, i)) : pick(latinQueries, i),
    );
    const commonQueries = Array.from({ length: RUNS }, (_, i) => `${pick(FIRST, i)} ${pick(SECOND, i * 3)}`);
    const suites: Array<[string, string, (i: number) => string]> = [
      ['party, list names (reviewer, all orgs)', reviewer, (i) => `party=${encodeURIComponent(realQueries[i])}`],
      ['party, common names (reviewer, all orgs)', reviewer, (i) => `party=${encodeURIComponent(commonQueries[i])}`],
      ['party, list names (broker, own org)', broker, (i) => `party=${encodeURIComponent(realQueries[i])}`],
      ['party, common names (broker, own org)', broker, (i) => `party=${encodeURIComponent(commonQueries[i])}`],
      [
        'identifier (value only)',
        reviewer,
        (i) => `identifier=${String((stored(i) * 7919) % 300000).padStart(12, '0')}`,
      ],
      [
        'identifier (typed)',
        reviewer,
        (i) => `identifier=INN:77${String((stored(i) * 104729) % 900000).padStart(8, '0')}`,
      ],
      ['hsCode prefix (4 digits)', reviewer, (i) => `hsCode=${HS[i % HS.length].slice(0, 4)}`],
      ['hsCode prefix (8 digits)', reviewer, (i) => `hsCode=${HS[i % HS.length].slice(0, 8)}`],
      ['listEntry', reviewer, (i) => `listEntry=ofac-sdn:${(i * 37) % 3000}`],
      ['party + country + hsCode', reviewer, (i) => `party=${encodeURIComponent(realQueries[i])}&country=KZ&hsCode=85`],
    ];
    console.log('\nsearch over HTTP (page of 50)                p50 ms   p95 ms   mean hits/page');
    for (const [label, key, query] of suites) {
      const lat: number[] = [];
      let hits = 0;
      for (let i = -3; i < RUNS; i += 1) {
        const s = performance.now();
        const res = await fetch(`${base}/v1/declarations?${query(Math.abs(i))}`, {
          headers: { Authorization: `Bearer ${key}` },
        });
        if (res.status !== 200) throw new Error(`${query(i)}: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { items: unknown[] };
        if (i >= 0) {
          lat.push(performance.now() - s);
          hits += body.items.length;
        }
      }
      lat.sort((a, b) => a - b);
      console.log(
        `${label.padEnd(44)}${percentile(lat, 50).toFixed(1).padStart(8)} ${percentile(lat, 95).toFixed(1).padStart(8)} ${(hits / RUNS).toFixed(1).padStart(10)}`,
      );
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
