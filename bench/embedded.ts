/**
 * The zero-setup default under load: the compiled service as `npm start` runs it (no DATABASE_URL, no REDIS_URL:
 * embedded PGlite, jobs in-process), with the full 2019 OFAC SDN and the UN list loaded. Run `npm run build` first.
 *   npx tsx bench/embedded.ts [seconds=15] [clients=16] [batch=1000]
 * Prints: declarations/s and p50/p99 latency of POST /v1/declarations (5 parties, 10 lines each) with 16 clients as
 * fast as they go, the count of non-201 answers (must be 0), and the time for a batch of 1,000 to be fully screened.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA, declaration, percentile, rssOf, start, upload } from './support/service';

const SECONDS = Number(process.argv[2] ?? 15);
const CLIENTS = Number(process.argv[3] ?? 16);
const BATCH = Number(process.argv[4] ?? 1000);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dus-bench-embedded-'));
  const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  const api = start('dist/src/main.js', {
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LIST_SOURCES: 'off',
  });
  try {
    const url = await api.url;
    const sdn = await upload(url, adminKey, 'ofac-sdn', 'ofac-sdn-csv', {
      sdn: join(DATA, 'ofac-sdn-2019', 'sdn.csv'),
      alt: join(DATA, 'ofac-sdn-2019', 'alt.csv'),
      add: join(DATA, 'ofac-sdn-2019', 'add.csv'),
    });
    const un = await upload(url, adminKey, 'un', 'un-xml', {
      file: join(DATA, 'un', 'UN_consolidated_2026-02-27.xml'),
    });
    console.log(`embedded: lists loaded: ofac-sdn ${sdn} entries, un ${un} entries`);
    const keyRes = await fetch(`${url}/v1/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'broker', organization: 'bench-brokers' }),
    });
    const broker = ((await keyRes.json()) as { secret: string }).secret;
    const headers = { Authorization: `Bearer ${broker}`, 'Content-Type': 'application/json' };
    for (let i = 0; i < 100; i += 1)
      await fetch(`${url}/v1/declarations`, {
        method: 'POST',
        headers: { ...headers, 'Idempotency-Key': randomUUID() },
        body: JSON.stringify(declaration()),
      });

    const latencies: number[] = [];
    const statuses: Record<number, number> = {};
    const started = performance.now();
    const stopAt = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < stopAt) {
          const t = performance.now();
          const res = await fetch(`${url}/v1/declarations`, {
            method: 'POST',
            headers: { ...headers, 'Idempotency-Key': randomUUID() },
            body: JSON.stringify(declaration()),
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - t);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `embedded submit, ${CLIENTS} clients for ${seconds.toFixed(1)} s: ${(latencies.length / seconds).toFixed(0)} declarations/s; p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms; answers ${JSON.stringify(statuses)}`,
    );
    console.log(`embedded process resident memory: ${((await rssOf(api.child.pid!)) / 1e6).toFixed(0)} MB`);

    const batchStarted = performance.now();
    const res = await fetch(`${url}/v1/declarations/batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ declarations: Array.from({ length: BATCH }, declaration) }),
    });
    const { batchId } = (await res.json()) as { batchId: string };
    let state: { status: string; processed: number };
    do {
      await new Promise((r) => setTimeout(r, 250));
      state = (await (await fetch(`${url}/v1/batches/${batchId}`, { headers })).json()) as {
        status: string;
        processed: number;
      };
    } while (state.status === 'queued' || state.status === 'processing');
    console.log(
      `embedded batch of ${BATCH}: ${state.status}, ${state.processed} processed, ${((performance.now() - batchStarted) / 1000).toFixed(1)} s from the request to the last screening`,
    );
  } finally {
    const exited = new Promise((r) => api.child.once('exit', r));
    api.child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
