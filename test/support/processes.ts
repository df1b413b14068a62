import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { TEST_REDIS_URL } from './env';

const ROOT = join(__dirname, '..', '..');

/**
 * The environment of a service (API and worker processes) of its own on `databaseUrl`: the shared Redis under a queue
 * prefix of its own, and a bootstrap admin key, returned with it; `extra` adds or overrides settings.
 */
export function serviceEnv(
  databaseUrl: string,
  extra: Record<string, string> = {},
): { env: Record<string, string>; adminKey: string } {
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  return {
    adminKey,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
      BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      ...extra,
    },
  };
}

/**
 * Starts the compiled worker entry point (`npm run worker`) as its own process, as production runs it; never with
 * the shipped list sources (tests do not reach the internet).
 */
export function spawnWorker(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
} {
  const child = spawn(process.execPath, ['dist/src/worker.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LIST_SOURCES: 'off' },
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return {
    child,
    output: () => out,
    kill: killer(child),
  };
}

/** Starts the compiled API entry point (`npm start`) on a free port; resolves once it listens (it loads the lists first). */
export async function spawnApi(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; output: () => string; kill(signal?: NodeJS.Signals): Promise<void> }> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...env },
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API not listening within 60 s:\n${out}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    kill: killer(child),
  };
}

/** Sends `signal` (SIGKILL by default) unless the process has already ended, and waits for it to exit. */
function killer(child: ChildProcess): (signal?: NodeJS.Signals) => Promise<void> {
  return async (signal = 'SIGKILL') => {
    if (child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
}
