/**
 * Review workflow benchmark against the real PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *   npx tsx bench/review.ts [cases=10000] [declarations=100000]
 * Prints:
 *  1. claims per second with 16 concurrent reviewers over N open cases, through the HTTP API of a service in this
 *     process (POST /v1/cases/claim until 204; every claim is a transaction with its audit event), and checks that no
 *     case was handed out twice;
 *  2. the time to delta re-screen M stored declarations (cleared within the look-back) after a new version of an
 *     entity list activates: 5,000 synthetic entries, the new version adds 200 and changes 100, and 1% of the
 *     declarations name an added entry as consignee. Timed from the activation to the run's completion.
 * It creates and drops its own database; background jobs run in-process (no Redis needed).
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { dbUrl, withAdmin } from './support/database';
import { loadConfig } from '../src/config/config';
import { createService, type Service } from '../src/composition';
import { loadOfac } from '../test/support/fixture-lists';
import { companyName, extractNameParts, personName, type NameParts } from './support/name-parts';
import { pick, rng } from './support/variants';

const CASES = Number(process.argv[2] ?? 10_000);
const DECLARATIONS = Number(process.argv[3] ?? 100_000);
const REVIEWERS = 16;
const LIST_ENTRIES = 5_000;
const ADDED = 200;
const CHANGED = 100;
const FLAGGED_SHARE = 0.01;
const HS_CODES = ['940360', '940161', '842139', '870323', '620342', '300490', '847130', '851762', '732690', '392690'];

interface Api {
  url: string;
  admin: string;
}

async function call(
  api: Api,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function claimBench(service: Service, api: Api) {
  const ds = service.db.dataSource;
  const t0 = Date.now();
  await ds.query(
    `WITH d AS (
       INSERT INTO declarations (organization, reference, procedure, body, status, outcome, risk_score, submitted_by)
       SELECT 'bench-brokers', 'CLAIM-' || g, 'import', '{}'::jsonb, 'under_review', 'REVIEW', 50, gen_random_uuid() FROM generate_series(1, $1) g
       RETURNING id)
     INSERT INTO review_cases (declaration_id, organization, status, level, priority, risk_score, deadline)
     SELECT id, 'bench-brokers', 'open', CASE WHEN random() < 0.2 THEN 'BLOCK' ELSE 'REVIEW' END, 1 + floor(random() * 4)::int, 50,
            now() + random() * interval '3 days'
     FROM d`,
    [CASES],
  );
  await ds.query(`VACUUM ANALYZE review_cases`);
  const keys: string[] = [];
  for (let i = 0; i < REVIEWERS; i += 1) {
    const res = await call(api, api.admin, 'POST', '/v1/api-keys', {
      name: `bench reviewer ${i}`,
      role: 'reviewer',
      organization: 'customs-authority',
      person: `bench-reviewer-${i}@bench.example`,
    });
    keys.push(res.body.secret);
  }
  console.log(`claims: ${CASES} open cases inserted in ${Date.now() - t0} ms; ${REVIEWERS} reviewers claiming`);

  const { ids, errors, latencies, seconds } = await claimInWorker(api.url, keys);
  const seen = new Set(ids);
  const duplicates = ids.length - seen.size;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(
    `claims: ${seen.size} cases claimed in ${seconds.toFixed(2)} s = ${(ids.length / seconds).toFixed(0)} claims/s ` +
      `(${REVIEWERS} concurrent reviewers; latency p50 ${p(0.5)} ms, p99 ${p(0.99)} ms); handed out twice: ${duplicates}; errors: ${errors}`,
  );
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM review_cases WHERE assignee_key_id IS NOT NULL`);
  console.log(`claims: ${n} cases hold a claim in the database (expected ${CASES})`);
  // Out of the way of the re-screening: these are decided now.
  await ds.query(`UPDATE declarations SET status = 'released' WHERE reference LIKE 'CLAIM-%'`);
  await ds.query(
    `UPDATE review_cases SET status = 'closed', closed_at = now(), resolution = 'released', assignee_key_id = NULL, lease_expires_at = NULL`,
  );
}

/**
 * The reviewers run in a worker thread with keep-alive connections, as separate clients would: load generated on the
 * service's own event loop would measure the client as much as the service.
 */
const CLAIMERS = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function claim(key) {
  return new Promise((resolve, reject) => {
    const req = http.request(workerData.url + '/v1/cases/claim', { agent, method: 'POST', headers: { Authorization: 'Bearer ' + key } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
(async () => {
  const ids = [];
  const latencies = [];
  let errors = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(workerData.keys.map(async (key) => {
    for (;;) {
      const t = performance.now();
      const res = await claim(key);
      latencies.push(performance.now() - t);
      if (res.status === 204) return;
      if (res.status !== 200) { errors += 1; continue; }
      ids.push(JSON.parse(res.body).id);
    }
  }));
  parentPort.postMessage({ ids, errors, latencies, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
})();
`;

function claimInWorker(
  url: string,
  keys: string[],
): Promise<{ ids: string[]; errors: number; latencies: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLAIMERS, { eval: true, workerData: { url, keys } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

function csv(entries: { id: string; name: string; aliases: string[] }[]): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [
    'id,name,kind,aliases,countries,programs,identifiers',
    ...entries.map((e) => `${e.id},${q(e.name)},organization,${q(e.aliases.join(';'))},RU,BENCH-WATCH,`),
  ].join('\n');
}

async function upload(api: Api, listId: string, content: string): Promise<string> {
  const form = new FormData();
  form.append('format', 'entities-csv');
  form.append('kind', 'entities');
  form.append('file', new Blob([content]), 'list.csv');
  const res = await fetch(`${api.url}/v1/lists/${listId}/versions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${api.admin}` },
    body: form,
  });
  const body = (await res.json()) as { versionId: string };
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.versionId;
}

async function rescreenDone(api: Api, listId: string, versionId: string) {
  return waitFor(`the re-screening of ${versionId}`, async () => {
    const v = await call(api, api.admin, 'GET', `/v1/lists/${listId}/versions/${versionId}`);
    if (v.body.status === 'failed') throw new Error(`import failed: ${v.body.error}`);
    if (v.body.rescreen?.status === 'failed') throw new Error(`re-screening failed: ${v.body.rescreen.error}`);
    return v.body.rescreen?.status === 'completed' ? v.body : undefined;
  });
}

function party(r: () => number, parts: NameParts, country: string) {
  return { name: r() < 0.7 ? companyName(r, parts) : personName(r, parts), country };
}

async function rescreenBench(service: Service, api: Api) {
  const ds = service.db.dataSource;
  const r = rng(20261126);
  const parts = extractNameParts(await loadOfac('ofac-sdn-2019'));
  const unique = (make: () => string, taken: Set<string>) => {
    for (;;) {
      const n = make();
      if (!taken.has(n)) {
        taken.add(n);
        return n;
      }
    }
  };
  const names = new Set<string>();
  const v1Entries = Array.from({ length: LIST_ENTRIES }, (_, i) => ({
    id: `BW-${i}`,
    name: unique(() => companyName(r, parts), names),
    aliases: [] as string[],
  }));
  const added = Array.from({ length: ADDED }, (_, i) => ({
    id: `BW-N${i}`,
    name: unique(() => companyName(r, parts), names),
    aliases: [] as string[],
  }));
  const v2Entries = [
    ...v1Entries.map((e, i) => (i < CHANGED ? { ...e, aliases: [unique(() => companyName(r, parts), names)] } : e)),
    ...added,
  ];

  const v1 = await upload(api, 'bench-watch', csv(v1Entries));
  await rescreenDone(api, 'bench-watch', v1);

  const t0 = Date.now();
  const flaggedTargets = Math.round(DECLARATIONS * FLAGGED_SHARE);
  for (let from = 0; from < DECLARATIONS; from += 5000) {
    const bodies: string[] = [];
    const refs: string[] = [];
    for (let i = from; i < Math.min(DECLARATIONS, from + 5000); i += 1) {
      const consignee =
        i < flaggedTargets
          ? { name: added[i % ADDED].name, country: 'RU' }
          : party(r, parts, pick(r, ['KZ', 'RU', 'KG', 'UZ']));
      const items = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => ({
        lineNo: k + 1,
        hsCode: pick(r, HS_CODES),
        description: 'general cargo',
        countryOfOrigin: pick(r, ['CN', 'TR', 'DE', 'KZ']),
        value: { amount: 1000, currency: 'USD' },
      }));
      const body = {
        reference: `RS-${i}`,
        procedure: 'import',
        declarant: party(r, parts, 'KZ'),
        consignor: party(r, parts, pick(r, ['CN', 'TR', 'DE'])),
        consignee,
        ...(r() < 0.3 ? { notifyParty: party(r, parts, 'KZ') } : {}),
        countryOfDispatch: 'CN',
        countryOfDestination: 'KZ',
        items,
      };
      bodies.push(JSON.stringify(body));
      refs.push(body.reference);
    }
    await ds.query(
      `INSERT INTO declarations (organization, reference, procedure, body, status, outcome, risk_score, submitted_by, created_at, updated_at)
       SELECT 'bench-brokers', ref, 'import', b, 'cleared', 'CLEAR', 0, gen_random_uuid(), t, t
       FROM unnest($1::text[], $2::jsonb[]) AS x(ref, b), LATERAL (SELECT now() - random() * interval '20 days' AS t) ts`,
      [refs, bodies],
    );
  }
  await ds.query(`ANALYZE declarations`);
  console.log(
    `re-screen: ${DECLARATIONS} cleared declarations inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s (${flaggedTargets} name an entry the new version adds)`,
  );

  const uploaded = Date.now();
  const v2 = await upload(api, 'bench-watch', csv(v2Entries));
  const done = await rescreenDone(api, 'bench-watch', v2);
  const rs = done.rescreen;
  const activation = Date.parse(done.activatedAt);
  const finished = Date.parse(rs.finishedAt);
  const runSeconds = (finished - Date.parse(rs.startedAt)) / 1000;
  console.log(
    `re-screen: delta ${rs.deltaEntries} entries; ${rs.candidates} candidates, ${rs.processed} processed, ${rs.flagged} flagged and re-screened in full`,
  );
  console.log(
    `re-screen: ${((finished - activation) / 1000).toFixed(1)} s from activation to completion (run itself ${runSeconds.toFixed(1)} s = ` +
      `${(rs.processed / runSeconds).toFixed(0)} declarations/s); ${((finished - uploaded) / 1000).toFixed(1)} s from upload (import included)`,
  );
  const [c] = await ds.query(`SELECT count(*)::int AS cases FROM review_cases WHERE closed_at IS NULL`);
  console.log(`re-screen: ${c.cases} cases opened`);
}

async function main() {
  const name = `dus_bench_review_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  let service: Service | undefined;
  let server: import('node:http').Server | undefined;
  try {
    const admin = `bench-admin-${randomBytes(12).toString('hex')}`;
    const config = loadConfig(
      {},
      {
        DATABASE_URL: dbUrl(name),
        BOOTSTRAP_ADMIN_KEY: admin,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: 10_000_000,
        DB_POOL_SIZE: 24,
        LIST_SOURCES: 'off',
      },
    );
    service = await createService(config, 'api');
    await service.start();
    server = service.app!.listen(0);
    await new Promise((r) => server!.once('listening', r));
    const api: Api = { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, admin };
    await claimBench(service, api);
    await rescreenBench(service, api);
  } finally {
    server?.close();
    await service?.close();
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
