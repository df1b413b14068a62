/**
 * The cost of one refresh cycle of list sources whose content did not change: five sources (OFAC SDN in its four
 * parts, the full UN list, EU FSF, US CSL, UK) served by a local HTTP server, first fetched and imported once, then
 * checked again in two ways:
 * - `conditional`: the server sends ETags, so each part answers 304 (the normal case with official publishers);
 * - `sha256`: the server ignores conditional GET, so every part is downloaded again and its digest found equal to
 *   the stored version's (no new version either).
 * Each is measured as the job system runs it (scheduler tick -> outbox -> lists.fetch jobs -> every source recorded),
 * in-process jobs on PostgreSQL.
 *
 * Run: npx tsx bench/lists-refresh.ts (PostgreSQL at TEST_DATABASE_URL or 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config';
import { createService, type Service } from '../src/composition';
import { FileServer } from '../test/support/file-server';
import { dbUrl, withAdmin } from './support/database';

const DATA = join(__dirname, '..', 'test', 'fixtures', 'data', 'entities');
const LISTS = join(__dirname, '..', 'test', 'fixtures', 'lists');

const SOURCES: { listId: string; format: string; parts: Record<string, string> }[] = [
  {
    listId: 'ofac-sdn',
    format: 'ofac-sdn-csv',
    parts: {
      sdn: join(DATA, 'ofac-sample-2025', 'sdn.csv'),
      alt: join(DATA, 'ofac-sample-2025', 'alt.csv'),
      add: join(DATA, 'ofac-sample-2025', 'add.csv'),
      comments: join(DATA, 'ofac-sample-2025', 'sdn_comments.csv'),
    },
  },
  { listId: 'un', format: 'un-xml', parts: { file: join(DATA, 'un', 'UN_consolidated_2026-02-27.xml') } },
  { listId: 'eu-fsf', format: 'eu-fsf-xml', parts: { file: join(DATA, 'eu-fsf', 'eu_fsf_sample.xml') } },
  { listId: 'us-csl', format: 'csl-csv', parts: { file: join(DATA, 'csl', 'csl_us_consolidated_sample.csv') } },
  { listId: 'uk-sanctions', format: 'uk-sanctions-xml', parts: { file: join(LISTS, 'uk-sanctions-sample.xml') } },
];

export interface CycleCost {
  mode: 'conditional' | 'sha256';
  sources: number;
  /** HTTP requests the cycle made (one per part). */
  requests: number;
  /** Bytes the server sent in bodies. */
  bytes: number;
  /** From the scheduler's tick to every source's check recorded. */
  ms: number;
  outcomes: Record<string, string>;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function cycle(service: Service, server: FileServer, mode: CycleCost['mode']): Promise<CycleCost> {
  const ds = service.db.dataSource;
  for (const f of server.files.values()) f.etag = mode === 'conditional';
  const before: { list_id: string; checked: Date }[] = await ds.query(
    `SELECT list_id, last_checked_at AS checked FROM list_sources`,
  );
  const seen = server.requests.length;
  await ds.query(`UPDATE list_sources SET next_check_at = now()`);
  const started = process.hrtime.bigint();
  const enqueued = await service.sources.service.enqueueDue();
  if (enqueued !== SOURCES.length) throw new Error(`enqueued ${enqueued} checks, expected ${SOURCES.length}`);
  await waitUntil(async () => {
    const rows: { list_id: string; checked: Date }[] = await ds.query(
      `SELECT list_id, last_checked_at AS checked FROM list_sources`,
    );
    return rows.every(
      (r) => r.checked && r.checked.getTime() !== before.find((b) => b.list_id === r.list_id)?.checked?.getTime(),
    );
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const requests = server.requests.slice(seen);
  const outcomes: Record<string, string> = Object.fromEntries(
    (
      (await ds.query(`SELECT list_id, last_outcome FROM list_sources ORDER BY list_id`)) as {
        list_id: string;
        last_outcome: string;
      }[]
    ).map((r) => [r.list_id, r.last_outcome]),
  );
  const bytes = requests
    .filter((r) => r.status === 200)
    .reduce((n, r) => n + (server.files.get(r.path)?.body.length ?? 0), 0);
  return { mode, sources: SOURCES.length, requests: requests.length, bytes, ms: Math.round(ms * 10) / 10, outcomes };
}

/** Sets up a database, a service and a local publisher, measures both kinds of unchanged cycle, and tears down. */
export async function measureRefreshCycle(): Promise<CycleCost[]> {
  const name = `dus_bench_refresh_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  const server = new FileServer();
  await server.start();
  let service: Service | undefined;
  try {
    const config = loadConfig(
      {},
      {
        DATABASE_URL: dbUrl(name),
        LOG_LEVEL: 'warn',
        LIST_SOURCES: 'off',
        OUTBOX_POLL_MS: 50,
        // The scheduler is driven by hand here, so its own loop stays out of the way.
        LIST_SOURCES_POLL_MS: 3_600_000,
      },
    );
    service = await createService(config, 'worker');
    await service.start();
    for (const s of SOURCES) {
      const urls = Object.fromEntries(
        Object.entries(s.parts).map(([part, path]) => [
          part,
          server.serve(`/${s.listId}/${part}`, { body: readFileSync(path) }),
        ]),
      );
      await service.sources.service.put({ keyId: null, role: 'admin', organization: 'bench' }, s.listId, {
        format: s.format as never,
        urls,
        refreshMinutes: 60,
        enabled: true,
      });
    }
    const ds = service.db.dataSource;
    await waitUntil(async () => {
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM list_sources s JOIN list_versions v ON v.id = s.last_version_id WHERE v.status = 'active'`,
      );
      return n === SOURCES.length;
    });
    // One unreported cycle first: it stores the ETags and warms the code paths. The sha256 rounds come last because
    // a server without ETags leaves no validators for the next conditional round.
    await cycle(service, server, 'conditional');
    // The first fetches made a version each, except where the file equals a shipped seed (the UN list): count now.
    const fetched = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM list_versions WHERE source = 'fetch'`))[0].n as number;
    const before = await fetched();
    const results: CycleCost[] = [];
    for (const mode of ['conditional', 'sha256'] as const) {
      for (let round = 0; round < 3; round++) results.push(await cycle(service, server, mode));
    }
    const after = await fetched();
    if (after !== before) throw new Error(`unchanged cycles made ${after - before} new versions`);
    return results;
  } finally {
    await service?.close();
    await server.stop();
    await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export function printRefreshCycles(results: CycleCost[], prefix = 'lists-refresh:'): void {
  for (const r of results) {
    console.log(
      `${prefix} ${r.mode.padEnd(11)} ${r.sources} sources, ${r.requests} requests, ${(r.bytes / 1024).toFixed(0)} KiB downloaded, ` +
        `${r.ms} ms for the cycle; outcomes ${JSON.stringify(r.outcomes)}`,
    );
  }
}

if (require.main === module) {
  measureRefreshCycle()
    .then((results) => printRefreshCycles(results))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
