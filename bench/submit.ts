/**
 * Submission benchmark: the service runs as its own processes (API + one worker, compiled: run `npm run build` first)
 * against the real PostgreSQL and Redis, with the full 2019 OFAC SDN list and the UN list loaded.
 *   npx tsx bench/submit.ts [declarations=6000] [clients=32] [batchTotal=10000] [pacedRate=300]
 * Prints: throughput, p50 and p99 latency of POST /v1/declarations (5 parties, 10 lines each) with 32 concurrent
 * clients over HTTP as fast as they can go (closed loop: by Little's law the mean latency is then 32 / throughput);
 * then p50 and p99 at a steady offered rate of 300 declarations/s through the same 32 clients (open loop, latency
 * counted from each request's scheduled start, so queueing is included); the API process's resident memory; then the
 * time for a batch of 10,000 declarations (ten requests of 1,000) to be fully screened by the workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbUrl, withAdmin } from './support/database';

const ROOT = join(__dirname, '..');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOTAL = Number(process.argv[2] ?? 6000);
const CLIENTS = Number(process.argv[3] ?? 32);
const BATCH_TOTAL = Number(process.argv[4] ?? 10000);
const PACED_RATE = Number(process.argv[5] ?? 300);
const DATA = join(ROOT, 'test', 'fixtures', 'data', 'entities');



function start(entry: string, env: Record<string, string>): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), entry], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LIST_SOURCES: 'off' } });
  let out = '';
  child.stderr?.on('data', (d) => { out += d; process.stderr.write(d); });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => { if (code !== 0) reject(new Error(`${entry} exited ${code}: ${out}`)); });
  });
  return { child, url };
}

async function rssOf(pid: number): Promise<number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

const GIVEN = ['Aigerim', 'Nursultan', 'Dmitry', 'Olga', 'Sergey', 'Yerlan', 'Anna', 'Timur', 'Marat', 'Elena'];
const SURNAMES = ['Abenov', 'Kuznetsova', 'Nurlanov', 'Petrov', 'Sadykova', 'Ivanov', 'Zhaksybekov', 'Smirnova', 'Omarov', 'Volkova'];
const COMPANIES = ['Steppe Logistics', 'Altyn Trade', 'Caspian Components', 'Eurasia Parts', 'Nomad Electronics', 'Saryarka Machinery', 'Baikonur Supply', 'Almaty Textile'];
const CODES = ['9403.60', '8542.31', '6403.99', '8471.30', '8517.62', '3926.90', '8482.10', '9018.90', '6109.10', '8708.29'];
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];

function party(country: string) {
  return Math.random() < 0.5
    ? { name: `${pick(COMPANIES)} ${pick(['LLP', 'TOO', 'LLC', 'JSC'])}`, country }
    : { name: `${pick(GIVEN)} ${pick(SURNAMES)}`, country };
}

function declaration() {
  return {
    reference: `BENCH-${randomUUID()}`,
    procedure: pick(['import', 'export', 'transit']),
    declarant: party('KZ'), consignor: party(pick(['CN', 'TR', 'DE', 'KZ'])), consignee: party(pick(['KZ', 'KG', 'RU', 'UZ'])),
    notifyParty: party('KZ'), endUser: party(pick(['KZ', 'KG', 'AM'])),
    countryOfDispatch: pick(['CN', 'TR', 'DE']), countryOfDestination: pick(['KZ', 'KG', 'RU']),
    items: Array.from({ length: 10 }, (_, i) => ({
      lineNo: i + 1, hsCode: pick(CODES), description: pick(['Office furniture', 'Electronic components', 'Footwear', 'Spare parts', 'Cotton shirts']),
      countryOfOrigin: pick(['CN', 'TR', 'DE', 'US']), quantity: 10, unit: 'pcs', netMassKg: 12.5, value: { amount: 1000 + i, currency: 'USD' },
    })),
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function upload(url: string, key: string, listId: string, format: string, parts: Record<string, string>) {
  const form = new FormData();
  form.set('format', format);
  for (const [name, path] of Object.entries(parts)) form.set(name, new Blob([readFileSync(path)]), name);
  const res = await fetch(`${url}/v1/lists/${listId}/versions`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
  const { versionId } = await res.json() as { versionId: string };
  for (;;) {
    const v = await (await fetch(`${url}/v1/lists/${listId}/versions/${versionId}`, { headers: { Authorization: `Bearer ${key}` } })).json() as { status: string; entryCount: number };
    if (v.status === 'active') return v.entryCount;
    if (v.status === 'failed') throw new Error(`import of ${listId} failed`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const name = `dus_bench_submit_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  // Over the local socket, as a same-machine deployment would connect (BENCH_DB_TCP=1 for loopback TCP).
  const serviceDbUrl = process.env.BENCH_DB_TCP ? dbUrl(name) : `postgres://postgres@localhost/${name}?host=/var/run/postgresql`;
  const env = { DATABASE_URL: serviceDbUrl, REDIS_URL, BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', PORT: '0', QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`, RATE_LIMIT_PER_MINUTE: '1000000', LIST_REFRESH_MS: '500' };
  const api = start('dist/src/main.js', env);
  const worker = start('dist/src/worker.js', { ...env, WORKER_CONCURRENCY: '4' });
  try {
    const url = await api.url;
    const sdn = await upload(url, adminKey, 'ofac-sdn', 'ofac-sdn-csv', { sdn: join(DATA, 'ofac-sdn-2019', 'sdn.csv'), alt: join(DATA, 'ofac-sdn-2019', 'alt.csv'), add: join(DATA, 'ofac-sdn-2019', 'add.csv') });
    const un = await upload(url, adminKey, 'un', 'un-xml', { file: join(DATA, 'un', 'UN_consolidated_2026-02-27.xml') });
    await new Promise((r) => setTimeout(r, 2000)); // every process reloads its index
    console.log(`lists loaded: ofac-sdn ${sdn} entries, un ${un} entries`);
    const keyRes = await fetch(`${url}/v1/api-keys`, { method: 'POST', headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'bench', role: 'broker', organization: 'bench-brokers' }) });
    const broker = (await keyRes.json() as { secret: string }).secret;
    const headers = { Authorization: `Bearer ${broker}`, 'Content-Type': 'application/json' };

    // Warm-up, then the measured run.
    for (let i = 0; i < 200; i += 1) await fetch(`${url}/v1/declarations`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': randomUUID() }, body: JSON.stringify(declaration()) });
    let peakRss = 0;
    const sampler = setInterval(() => { rssOf(api.child.pid!).then((r) => { peakRss = Math.max(peakRss, r); }).catch(() => undefined); }, 100);
    const post = async (body: string) => {
      const res = await fetch(`${url}/v1/declarations`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': randomUUID() }, body });
      const answer = await res.json() as { screening?: { outcome: string } };
      return res.status === 201 ? answer.screening!.outcome : 'error';
    };
    /** Sends `total` declarations through CLIENTS loops; with `rate`, request i is due at i / rate seconds. */
    const run = async (total: number, rate?: number) => {
      const bodies = Array.from({ length: total }, () => JSON.stringify(declaration()));
      const latencies: number[] = [];
      const outcomes: Record<string, number> = {};
      let next = 0;
      const started = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < total; i = next++) {
          const due = rate ? started + (i * 1000) / rate : performance.now();
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const outcome = await post(bodies[i]);
          latencies.push(performance.now() - due);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      }));
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      return { seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), outcomes };
    };
    const max = await run(TOTAL);
    console.log(`submit, as fast as ${CLIENTS} clients go: ${TOTAL} declarations (5 parties, 10 lines) in ${max.seconds.toFixed(1)} s = ${(TOTAL / max.seconds).toFixed(0)} declarations/s; p50 ${max.p50.toFixed(1)} ms, p99 ${max.p99.toFixed(1)} ms; outcomes ${JSON.stringify(max.outcomes)}`);
    const pacedTotal = PACED_RATE * 15;
    const paced = await run(pacedTotal, PACED_RATE);
    console.log(`submit at a steady ${PACED_RATE}/s through ${CLIENTS} clients: ${pacedTotal} declarations in ${paced.seconds.toFixed(1)} s = ${(pacedTotal / paced.seconds).toFixed(0)} declarations/s; p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms; outcomes ${JSON.stringify(paced.outcomes)}`);
    clearInterval(sampler);
    console.log(`API process resident memory: ${(await rssOf(api.child.pid!) / 1e6).toFixed(0)} MB now, ${(peakRss / 1e6).toFixed(0)} MB peak`);

    const batchStarted = performance.now();
    const ids: string[] = [];
    for (let b = 0; b < BATCH_TOTAL / 1000; b += 1) {
      const res = await fetch(`${url}/v1/declarations/batch`, { method: 'POST', headers, body: JSON.stringify({ declarations: Array.from({ length: 1000 }, declaration) }) });
      ids.push((await res.json() as { batchId: string }).batchId);
    }
    const accepted = (performance.now() - batchStarted) / 1000;
    for (;;) {
      const states = await Promise.all(ids.map(async (id) => (await (await fetch(`${url}/v1/batches/${id}`, { headers })).json()) as { status: string; processed: number }));
      if (states.every((s) => s.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`batch: ${BATCH_TOTAL} declarations accepted in ${accepted.toFixed(1)} s, fully screened ${((performance.now() - batchStarted) / 1000).toFixed(1)} s after the first request (API relays, one worker process with concurrency 4)`);
  } finally {
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
