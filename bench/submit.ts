/**
 * Submission benchmark: the service runs as its own processes (API + one worker, compiled) against the real PostgreSQL
 * and Redis, with the full 2019 OFAC SDN list and the UN list loaded.
 *   npm run bench:submit -- [declarations=6000] [clients=32] [batchTotal=10000] [pacedRate=400]
 *   BENCH_BASELINE=<commit>|none   the BEFORE build to run the same bench against (default: BASELINE_COMMIT below);
 *                                  it is checked out into a temporary worktree (node_modules symlinked, or installed with npm ci when its lockfile differs) and built once
 *   BENCH_API_PROCESSES=N          API_PROCESSES of the service under test (the baseline always runs one process)
 *   BENCH_WARMUP=1000              declarations sent (32 clients) before the measured runs
 *   BENCH_PG_SETTINGS=k=v,...      PostgreSQL settings for the bench database's sessions (ALTER DATABASE ... SET)
 *   BENCH_STAGE_STATS=1            log the CPU of every statement's parse, plan and execution (server log)
 *   BENCH_LOG_STATEMENTS=1         log every statement of the bench database's sessions (server log)
 *   BENCH_AUTO_EXPLAIN=0.002       log EXPLAIN (ANALYZE, BUFFERS, WAL) of that fraction of the statements (server log)
 *   BENCH_KEEP_DATABASE=1          keep the bench database afterwards (to look at what was written; drop it yourself)
 *   BENCH_SERVICE_ENV=K=V,...      more environment for the service under test, both builds (e.g. MATCH_CACHE_QUERIES=0)
 *   BENCH_TIMELINE=1               when the paced run's requests over 50 ms were due, by 250 ms window
 *   BENCH_OUTPUT_DIR=<dir>         the service processes' whole output (e.g. with BENCH_NODE_ARGS=--trace-gc) in files there
 * The declarations' parties come from 100 person names and 32 company names, so after the warm-up the API's answer
 * cache (MATCH_CACHE_QUERIES) holds every party query: like a broker's regular counterparties, unlike a stream of
 * first-time parties (BENCH_SERVICE_ENV=MATCH_CACHE_QUERIES=0 shows the cost without it).
 * Prints, for AFTER (this checkout) and BEFORE: throughput, p50 and p99 latency of POST /v1/declarations (5 parties,
 * 10 lines each) with 32 concurrent clients as fast as they go (closed loop); p50 and p99 at a steady offered rate of
 * 400/s through the same clients (open loop, latency counted from each request's scheduled start, so queueing is
 * included); the API processes' resident memory; CPU seconds per 1,000 declarations of the API process(es) and of
 * the PostgreSQL client backends serving the bench database (from /proc: utime+stime before and after; the server's
 * shared background processes, also used by anything else on the machine, are left out), and apart from them the
 * autovacuum workers in the bench database (sampled every 100 ms); transactions committed per declaration (how many
 * declarations share a commit); rows written, database growth and
 * WAL bytes per declaration (WAL is server-wide: other databases' writes during the run count too); then the time for a batch of
 * 10,000 declarations (ten requests of 1,000) to be fully screened by the worker. Then the AFTER/BEFORE ratios.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ADMIN_URL, dbUrl, withAdmin } from './support/database';
import { DATA, declaration, percentile, ROOT, rssOf, start, upload } from './support/service';

/** main as it landed before this round of issue 15 (stop 19): the BEFORE of the figures in bench/PROFILE.md. */
const BASELINE_COMMIT = 'ebfd263';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOTAL = Number(process.argv[2] ?? 6000);
const CLIENTS = Number(process.argv[3] ?? 32);
const BATCH_TOTAL = Number(process.argv[4] ?? 10000);
const PACED_RATE = Number(process.argv[5] ?? 400);
const CLK_TCK = 100;
/** Declarations sent before the measured runs, through the same clients. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);

interface Figures {
  label: string;
  flatRate: number;
  flatP50: number;
  flatP99: number;
  pacedRate: number;
  pacedP50: number;
  pacedP99: number;
  rssNow: number;
  rssPeak: number;
  apiCpuFlat: number;
  pgCpuFlat: number;
  apiCpuPaced: number;
  pgCpuPaced: number;
  rowsPerDeclaration: number;
  walPerDeclaration: number;
  bytesPerDeclaration: number;
}

/** utime + stime of a process in seconds (0 once it is gone). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** The process and, under API_PROCESSES, its cluster workers. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    /* gone */
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Checks the baseline commit out next to the temp directory and builds it once (kept for the next run). */
function baselineBuild(commit: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short=12', commit], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `dus-bench-baseline-${sha}`);
  if (!existsSync(join(dir, 'dist', 'src', 'main.js'))) {
    if (!existsSync(dir))
      execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: ROOT, stdio: 'inherit' });
    // The same lockfile shares this checkout's node_modules; another one gets its own install.
    const sameLock =
      readFileSync(join(dir, 'package-lock.json'), 'utf8') === readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
    if (sameLock && !existsSync(join(dir, 'node_modules')))
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    if (!sameLock) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    console.log(`building the baseline ${sha} in ${dir}`);
    execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: 'inherit' });
  }
  return dir;
}

async function runBench(label: string, root: string, apiProcesses: number): Promise<Figures> {
  const name = `dus_bench_submit_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE ${name}`);
  if (process.env.BENCH_AUTO_EXPLAIN) {
    // EXPLAIN (ANALYZE, BUFFERS, WAL) of a sample of this database's statements, written to the server log (pg_stat_statements
    // needs a server restart to load; auto_explain loads per session).
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      'auto_explain.log_min_duration = 0',
      'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on',
      'auto_explain.log_wal = on',
      `auto_explain.sample_rate = ${Number(process.env.BENCH_AUTO_EXPLAIN)}`,
    ]) {
      await withAdmin(`ALTER DATABASE ${name} SET ${setting}`);
    }
  }
  // Every statement of this database's sessions in the server log, to count the round trips of one declaration.
  if (process.env.BENCH_LOG_STATEMENTS) await withAdmin(`ALTER DATABASE ${name} SET log_statement = 'all'`);
  // Server settings to try on the bench database's sessions, e.g. BENCH_PG_SETTINGS="plan_cache_mode=force_generic_plan".
  for (const setting of (process.env.BENCH_PG_SETTINGS ?? '').split(',').filter(Boolean)) {
    const [key, value] = setting.split('=');
    await withAdmin(`ALTER DATABASE ${name} SET ${key} = '${value}'`);
  }
  // CPU of each statement's parse, plan and execution stages in the server log.
  if (process.env.BENCH_STAGE_STATS)
    for (const stage of ['log_parser_stats', 'log_planner_stats', 'log_executor_stats'])
      await withAdmin(`ALTER DATABASE ${name} SET ${stage} = on`);
  const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  // Over the local socket, as a same-machine deployment would connect (BENCH_DB_TCP=1 for loopback TCP).
  const serviceDbUrl = process.env.BENCH_DB_TCP
    ? dbUrl(name)
    : `postgres://postgres@localhost/${name}?host=/var/run/postgresql`;
  const env = {
    DATABASE_URL: serviceDbUrl,
    REDIS_URL,
    BOOTSTRAP_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    PORT: '0',
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LIST_REFRESH_MS: '500',
    API_PROCESSES: String(apiProcesses),
    // BENCH_SERVICE_ENV=K=V,... : more settings for the service under test (both builds), e.g. MATCH_CACHE_QUERIES=0.
    ...Object.fromEntries(
      (process.env.BENCH_SERVICE_ENV ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
  const api = start(join(root, 'dist/src/main.js'), env, root);
  const apiSpawned = performance.now();
  const worker = start(join(root, 'dist/src/worker.js'), { ...env, WORKER_CONCURRENCY: '4' }, root);
  const stats = new Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
  try {
    const url = await api.url;
    await stats.connect();
    const sdn = await upload(url, adminKey, 'ofac-sdn', 'ofac-sdn-csv', {
      sdn: join(DATA, 'ofac-sdn-2019', 'sdn.csv'),
      alt: join(DATA, 'ofac-sdn-2019', 'alt.csv'),
      add: join(DATA, 'ofac-sdn-2019', 'add.csv'),
    });
    const un = await upload(url, adminKey, 'un', 'un-xml', {
      file: join(DATA, 'un', 'UN_consolidated_2026-02-27.xml'),
    });
    await new Promise((r) => setTimeout(r, 2000)); // every process reloads its index
    console.log(`[${label}] lists loaded: ofac-sdn ${sdn} entries, un ${un} entries; ${apiProcesses} API process(es)`);
    const keyRes = await fetch(`${url}/v1/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bench', role: 'broker', organization: 'bench-brokers' }),
    });
    const broker = ((await keyRes.json()) as { secret: string }).secret;
    const headers = { Authorization: `Bearer ${broker}`, 'Content-Type': 'application/json' };

    const apiPids = processTree(api.child.pid!);
    let peakRss = 0;
    const rss = async () => (await Promise.all(apiPids.map((p) => rssOf(p).catch(() => 0)))).reduce((a, b) => a + b, 0);
    /** CPU seconds of autovacuum workers in the bench database, summed from 100 ms samples (each worker is short-lived). */
    let autovacuumCpu = 0;
    const autovacuumSeen = new Map<number, number>();
    const sampler = setInterval(() => {
      rss()
        .then((r) => {
          peakRss = Math.max(peakRss, r);
        })
        .catch(() => undefined);
      stats
        .query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'autovacuum worker'`, [name])
        .then(({ rows }) => {
          for (const { pid } of rows) {
            const now = cpuSeconds(Number(pid));
            autovacuumCpu += now - (autovacuumSeen.get(Number(pid)) ?? 0);
            autovacuumSeen.set(Number(pid), now);
          }
        })
        .catch(() => undefined);
    }, 100);
    const backendPids = async () =>
      (
        await stats.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
          [name],
        )
      ).rows.map((r) => Number(r.pid));
    const commits = async () =>
      Number(
        (await stats.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0]
          .xact_commit,
      );
    /** CPU of the API processes and of the database's backends (a backend that ended in between is lost, so none should). */
    const cpu = async () => {
      const pg = await backendPids();
      return { api: apiPids.reduce((a, p) => a + cpuSeconds(p), 0), pg: new Map(pg.map((p) => [p, cpuSeconds(p)])) };
    };
    const pgDelta = (before: Map<number, number>, after: Map<number, number>) =>
      [...after].reduce((a, [p, t]) => a + t - (before.get(p) ?? 0), 0);
    const rows = async () =>
      Number(
        (await stats.query(`SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::bigint AS n FROM pg_stat_user_tables`))
          .rows[0].n,
      );
    /** Row writes per table, to show where the writes go. */
    const tableRows = async () =>
      new Map(
        (
          await stats.query(
            `SELECT relname, (n_tup_ins + n_tup_upd + n_tup_del)::bigint AS n, n_tup_hot_upd::bigint AS hot FROM pg_stat_user_tables`,
          )
        ).rows.map((r) => [r.relname as string, { n: Number(r.n), hot: Number(r.hot) }]),
      );
    /** CPU seconds of the whole machine (all processes: API, worker, PostgreSQL, Redis, this bench's clients). */
    const machineCpu = () => {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLK_TCK;
    };
    const wal = async () => (await stats.query(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows[0].lsn as string;
    const size = async () => Number((await stats.query(`SELECT pg_database_size(current_database()) AS b`)).rows[0].b);
    /**
     * One submission over node:http with a keep-alive agent, one socket per client: the load generator shares the two
     * cores with the service, and undici's fetch cost this process about 1.4 ms of CPU per declaration.
     */
    const target = new URL(url);
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const post = (body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: '/v1/declarations',
            method: 'POST',
            headers: {
              ...headers,
              'Idempotency-Key': randomUUID(),
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              if (res.statusCode !== 201) return resolve('error');
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { screening: { outcome: string } };
              resolve(answer.screening.outcome);
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    /** Sends `total` declarations through CLIENTS loops; with `rate`, request i is due at i / rate seconds. */
    const run = async (total: number, rate?: number) => {
      const bodies = Array.from({ length: total }, () => JSON.stringify(declaration()));
      const latencies: number[] = [];
      /** Requests slower than 50 ms: when they were due (ms from the start) and how long they took. */
      const slow: Array<[number, number]> = [];
      const outcomes: Record<string, number> = {};
      let next = 0;
      const before = await cpu();
      const autovacuum0 = autovacuumCpu;
      const commits0 = await commits();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let i = next++; i < total; i = next++) {
            const due = rate ? started + (i * 1000) / rate : performance.now();
            const wait = due - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            const outcome = await post(bodies[i]);
            const latency = performance.now() - due;
            latencies.push(latency);
            if (latency > 50) slow.push([due - started, latency]);
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const after = await cpu();
      const autovacuum = autovacuumCpu - autovacuum0;
      await new Promise((r) => setTimeout(r, 1100)); // every backend flushes its commit count within a second
      const commitsPerDeclaration = ((await commits()) - commits0) / total;
      latencies.sort((a, b) => a - b);
      return {
        seconds,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        outcomes,
        slow,
        started,
        apiCpu: ((after.api - before.api) / total) * 1000,
        pgCpu: (pgDelta(before.pg, after.pg) / total) * 1000,
        autovacuumCpu: (autovacuum / total) * 1000,
        commitsPerDeclaration,
      };
    };
    /**
     * Before a measured run: the machine's dirty pages written out (`sync`) and a PostgreSQL checkpoint, so the run
     * does not pay for what came before it. The kernel writes dirty pages back 30 s after they were written, and while
     * it writes, WAL flushes wait: an fdatasync loop on this disk went from 0.2 ms (p50) to 176 ms (max) while 1.5 GB
     * went back. The BEFORE build's `npm ci` leaves hundreds of MB behind, the warm-up or the flat-out run tens; every
     * commit of a paced request waits for a WAL flush. Printed, so a run that started on a busy disk shows.
     */
    const settle = async (before: string) => {
      const dirty = Number(/^Dirty:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024;
      const t0 = performance.now();
      execFileSync('sync');
      await stats.query('CHECKPOINT');
      console.log(
        `[${label}]   before the ${before}: ${dirty.toFixed(0)} MB of dirty pages written out and a checkpoint, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    };
    // Warm-up (JIT, pools, caches; under API_PROCESSES every process gets its share), then the measured runs.
    await run(WARMUP);
    await settle('flat-out run');
    await stats.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    const rows0 = await rows();
    const tables0 = await tableRows();
    const worker0 = cpuSeconds(worker.child.pid!);
    const bench0 = process.cpuUsage();
    const machine0 = machineCpu();
    const wal0 = await wal();
    const size0 = await size();
    const max = await run(TOTAL);
    const machineFlat = ((machineCpu() - machine0) / TOTAL) * 1000;
    const workerFlat = ((cpuSeconds(worker.child.pid!) - worker0) / TOTAL) * 1000;
    const benchUsage = process.cpuUsage(bench0);
    const benchFlat = ((benchUsage.user + benchUsage.system) / 1e6 / TOTAL) * 1000;
    await new Promise((r) => setTimeout(r, 1000)); // table statistics are flushed by each backend within a second
    const tables1 = await tableRows();
    const perTable = [...tables1]
      .map(([t, v]) => ({
        t,
        n: (v.n - (tables0.get(t)?.n ?? 0)) / TOTAL,
        hot: (v.hot - (tables0.get(t)?.hot ?? 0)) / TOTAL,
      }))
      .filter((x) => x.n >= 0.005)
      .sort((a, b) => b.n - a.n)
      .map((x) => `${x.t} ${x.n.toFixed(2)}${x.hot >= 0.005 ? ` (${x.hot.toFixed(2)} HOT updates)` : ''}`)
      .join(', ');
    const rowsPerDeclaration = ((await rows()) - rows0) / TOTAL;
    const bytesPerDeclaration = ((await size()) - size0) / TOTAL;
    const walPerDeclaration =
      Number((await stats.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS d`, [wal0])).rows[0].d) / TOTAL;
    console.log(
      `[${label}] submit, as fast as ${CLIENTS} clients go: ${TOTAL} declarations (5 parties, 10 lines) in ${max.seconds.toFixed(1)} s = ${(TOTAL / max.seconds).toFixed(0)} declarations/s; p50 ${max.p50.toFixed(1)} ms, p99 ${max.p99.toFixed(1)} ms; outcomes ${JSON.stringify(max.outcomes)}`,
    );
    console.log(
      `[${label}]   CPU per 1,000 declarations: API ${max.apiCpu.toFixed(2)} s, PostgreSQL backends ${max.pgCpu.toFixed(2)} s (autovacuum ${max.autovacuumCpu.toFixed(2)} s more); transactions ${max.commitsPerDeclaration.toFixed(2)}, rows written ${rowsPerDeclaration.toFixed(1)}, database growth ${(bytesPerDeclaration / 1024).toFixed(1)} KiB, WAL ${(walPerDeclaration / 1024).toFixed(1)} KiB (server-wide) per declaration`,
    );
    console.log(`[${label}]   row writes per declaration by table: ${perTable}`);
    console.log(
      `[${label}]   whole machine CPU per 1,000 declarations: ${machineFlat.toFixed(2)} s, of which the worker ${workerFlat.toFixed(2)} s and this bench's own clients ${benchFlat.toFixed(2)} s`,
    );
    const pacedTotal = PACED_RATE * 15;
    await settle('paced run');
    const paced = await run(pacedTotal, PACED_RATE);
    if (process.env.BENCH_TIMELINE) {
      // When the slow requests were due, by 250 ms window: a stall shows as one window, a slow path as many.
      const windows = new Map<number, { n: number; max: number }>();
      for (const [at, latency] of paced.slow) {
        const w = Math.floor(at / 250) * 250;
        const cur = windows.get(w) ?? { n: 0, max: 0 };
        windows.set(w, { n: cur.n + 1, max: Math.max(cur.max, latency) });
      }
      console.log(
        `[${label}]   paced requests over 50 ms (the run began ${(paced.started - apiSpawned).toFixed(0)} ms after the API process was spawned, at epoch ms ${Math.round(performance.timeOrigin + paced.started)}), by due time (ms from start: count, max ms): ` +
          [...windows]
            .sort((a, b) => a[0] - b[0])
            .map(([w, v]) => `${w}: ${v.n}, ${v.max.toFixed(0)}`)
            .join('; '),
      );
    }
    console.log(
      `[${label}] submit at a steady ${PACED_RATE}/s through ${CLIENTS} clients: ${pacedTotal} declarations in ${paced.seconds.toFixed(1)} s = ${(pacedTotal / paced.seconds).toFixed(0)} declarations/s; p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms; outcomes ${JSON.stringify(paced.outcomes)}`,
    );
    console.log(
      `[${label}]   CPU per 1,000 declarations: API ${paced.apiCpu.toFixed(2)} s, PostgreSQL backends ${paced.pgCpu.toFixed(2)} s (autovacuum ${paced.autovacuumCpu.toFixed(2)} s more); transactions per declaration ${paced.commitsPerDeclaration.toFixed(2)}`,
    );
    clearInterval(sampler);
    agent.destroy();
    const rssNow = await rss();
    console.log(
      `[${label}] API resident memory (${apiPids.length} process${apiPids.length > 1 ? 'es' : ''}): ${(rssNow / 1e6).toFixed(0)} MB now, ${(peakRss / 1e6).toFixed(0)} MB peak`,
    );

    if (BATCH_TOTAL > 0) {
      const batchStarted = performance.now();
      const ids: string[] = [];
      for (let b = 0; b < BATCH_TOTAL / 1000; b += 1) {
        const res = await fetch(`${url}/v1/declarations/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ declarations: Array.from({ length: 1000 }, declaration) }),
        });
        ids.push(((await res.json()) as { batchId: string }).batchId);
      }
      const accepted = (performance.now() - batchStarted) / 1000;
      for (;;) {
        const states = await Promise.all(
          ids.map(
            async (id) =>
              (await (await fetch(`${url}/v1/batches/${id}`, { headers })).json()) as {
                status: string;
                processed: number;
              },
          ),
        );
        if (states.every((s) => s.status === 'completed')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      console.log(
        `[${label}] batch: ${BATCH_TOTAL} declarations accepted in ${accepted.toFixed(1)} s, fully screened ${((performance.now() - batchStarted) / 1000).toFixed(1)} s after the first request (API relays, one worker process with concurrency 4)`,
      );
    }
    return {
      label,
      flatRate: TOTAL / max.seconds,
      flatP50: max.p50,
      flatP99: max.p99,
      pacedRate: pacedTotal / paced.seconds,
      pacedP50: paced.p50,
      pacedP99: paced.p99,
      rssNow,
      rssPeak: peakRss,
      apiCpuFlat: max.apiCpu,
      pgCpuFlat: max.pgCpu,
      apiCpuPaced: paced.apiCpu,
      pgCpuPaced: paced.pgCpu,
      rowsPerDeclaration,
      walPerDeclaration,
      bytesPerDeclaration,
    };
  } finally {
    await stats.end().catch(() => undefined);
    const exited = (c: typeof api.child) =>
      c.exitCode !== null || c.signalCode ? Promise.resolve() : new Promise((r) => c.once('exit', r));
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    await Promise.race([
      Promise.all([exited(api.child), exited(worker.child)]),
      new Promise((r) => setTimeout(r, 15_000)),
    ]);
    if (process.env.BENCH_KEEP_DATABASE) console.log(`[${label}] kept the database ${name}`);
    else await withAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function main() {
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`load average before: ${load()}`);
  const apiProcesses = Number(process.env.BENCH_API_PROCESSES ?? 1);
  const baseline = process.env.BENCH_BASELINE ?? BASELINE_COMMIT;
  const baselineRoot = baseline === 'none' ? undefined : baselineBuild(baseline);
  const after = await runBench('AFTER', ROOT, apiProcesses);
  console.log(`load average: ${load()}`);
  if (!baselineRoot) return;
  const before = await runBench(`BEFORE ${baseline}`, baselineRoot, 1);
  console.log(`load average after: ${load()}`);
  const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : 'n/a');
  console.log(
    `AFTER/BEFORE: flat-out ${ratio(after.flatRate, before.flatRate)}x declarations/s (${after.flatRate.toFixed(0)} vs ${before.flatRate.toFixed(0)}); p99 at ${PACED_RATE}/s ${ratio(after.pacedP99, before.pacedP99)}x (${after.pacedP99.toFixed(1)} vs ${before.pacedP99.toFixed(1)} ms); ` +
      `API CPU per 1,000 ${ratio(after.apiCpuFlat, before.apiCpuFlat)}x (${after.apiCpuFlat.toFixed(2)} vs ${before.apiCpuFlat.toFixed(2)} s); PostgreSQL CPU per 1,000 ${ratio(after.pgCpuFlat, before.pgCpuFlat)}x (${after.pgCpuFlat.toFixed(2)} vs ${before.pgCpuFlat.toFixed(2)} s); ` +
      `rows ${after.rowsPerDeclaration.toFixed(1)} vs ${before.rowsPerDeclaration.toFixed(1)}, database growth ${(after.bytesPerDeclaration / 1024).toFixed(1)} vs ${(before.bytesPerDeclaration / 1024).toFixed(1)} KiB, WAL ${(after.walPerDeclaration / 1024).toFixed(1)} vs ${(before.walPerDeclaration / 1024).toFixed(1)} KiB per declaration; API peak RSS ${(after.rssPeak / 1e6).toFixed(0)} vs ${(before.rssPeak / 1e6).toFixed(0)} MB`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
