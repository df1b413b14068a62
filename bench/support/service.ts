/**
 * What the service benchmarks share: the compiled service as its own process, list uploads over HTTP, and a
 * realistic declaration (5 parties, 10 lines) with random names, codes and routes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const DATA = join(ROOT, 'test', 'fixtures', 'data', 'entities');

/** Starts a compiled entry point (dist/src/main.js or worker.js); `url` resolves once the API says where it listens. */
export function start(
  entry: string,
  env: Record<string, string>,
  cwd: string = ROOT,
): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), entry], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LIST_SOURCES: 'off', ...env },
  });
  // BENCH_OUTPUT_DIR=<dir>: the process's whole output (e.g. --trace-gc lines) in <dir>/<entry>-<pid>.log.
  if (process.env.BENCH_OUTPUT_DIR) {
    const file = createWriteStream(join(process.env.BENCH_OUTPUT_DIR, `${entry.split('/').pop()}-${child.pid}.log`));
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  let out = '';
  child.stderr?.on('data', (d) => {
    out += d;
    process.stderr.write(d);
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${entry} exited ${code}: ${out}`));
    });
  });
  return { child, url };
}

export async function rssOf(pid: number): Promise<number> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

const GIVEN = ['Aigerim', 'Nursultan', 'Dmitry', 'Olga', 'Sergey', 'Yerlan', 'Anna', 'Timur', 'Marat', 'Elena'];
const SURNAMES = [
  'Abenov',
  'Kuznetsova',
  'Nurlanov',
  'Petrov',
  'Sadykova',
  'Ivanov',
  'Zhaksybekov',
  'Smirnova',
  'Omarov',
  'Volkova',
];
const COMPANIES = [
  'Steppe Logistics',
  'Altyn Trade',
  'Caspian Components',
  'Eurasia Parts',
  'Nomad Electronics',
  'Saryarka Machinery',
  'Baikonur Supply',
  'Almaty Textile',
];
const CODES = [
  '9403.60',
  '8542.31',
  '6403.99',
  '8471.30',
  '8517.62',
  '3926.90',
  '8482.10',
  '9018.90',
  '6109.10',
  '8708.29',
];
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];

function party(country: string) {
  return Math.random() < 0.5
    ? { name: `${pick(COMPANIES)} ${pick(['LLP', 'TOO', 'LLC', 'JSC'])}`, country }
    : { name: `${pick(GIVEN)} ${pick(SURNAMES)}`, country };
}

export function declaration() {
  return {
    reference: `BENCH-${randomUUID()}`,
    procedure: pick(['import', 'export', 'transit']),
    declarant: party('KZ'),
    consignor: party(pick(['CN', 'TR', 'DE', 'KZ'])),
    consignee: party(pick(['KZ', 'KG', 'RU', 'UZ'])),
    notifyParty: party('KZ'),
    endUser: party(pick(['KZ', 'KG', 'AM'])),
    countryOfDispatch: pick(['CN', 'TR', 'DE']),
    countryOfDestination: pick(['KZ', 'KG', 'RU']),
    items: Array.from({ length: 10 }, (_, i) => ({
      lineNo: i + 1,
      hsCode: pick(CODES),
      description: pick(['Office furniture', 'Electronic components', 'Footwear', 'Spare parts', 'Cotton shirts']),
      countryOfOrigin: pick(['CN', 'TR', 'DE', 'US']),
      quantity: 10,
      unit: 'pcs',
      netMassKg: 12.5,
      value: { amount: 1000 + i, currency: 'USD' },
    })),
  };
}

export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export async function upload(url: string, key: string, listId: string, format: string, parts: Record<string, string>) {
  const form = new FormData();
  form.set('format', format);
  for (const [name, path] of Object.entries(parts)) form.set(name, new Blob([readFileSync(path)]), name);
  const res = await fetch(`${url}/v1/lists/${listId}/versions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}` },
    body: form,
  });
  const { versionId } = (await res.json()) as { versionId: string };
  for (;;) {
    const v = (await (
      await fetch(`${url}/v1/lists/${listId}/versions/${versionId}`, { headers: { Authorization: `Bearer ${key}` } })
    ).json()) as { status: string; entryCount: number };
    if (v.status === 'active') return v.entryCount;
    if (v.status === 'failed') throw new Error(`import of ${listId} failed`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
