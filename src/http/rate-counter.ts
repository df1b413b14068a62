import IORedis from 'ioredis';
import type { Logger } from 'pino';

/** A fixed-window counter: `hit` adds `weight` to the key's count in the current window and returns the new count. */
export interface RateCounter {
  hit(key: string, weight: number, windowMs: number): Promise<Window>;
  /** The count without adding to it (0 when the window has not started). */
  peek(key: string, windowMs: number): Promise<Window>;
  close(): Promise<void>;
}

export interface Window {
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Per-process counting: the store without Redis, and the fallback while Redis is unreachable. */
export class MemoryCounter implements RateCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    }, 30_000);
    this.sweeper.unref();
  }

  private current(key: string, windowMs: number, create: boolean) {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      if (create) this.windows.set(key, w);
    }
    return w;
  }

  async hit(key: string, weight: number, windowMs: number): Promise<Window> {
    const w = this.current(key, windowMs, true);
    w.count += weight;
    return { count: w.count, resetMs: w.resetAt - Date.now() };
  }

  async peek(key: string, windowMs: number): Promise<Window> {
    const w = this.current(key, windowMs, false);
    return { count: w.count, resetMs: w.resetAt - Date.now() };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

const HIT_SCRIPT = `
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {c, ttl}`;

/**
 * Counts in Redis so every API process shares one limit. Redis is not on the submission path otherwise, so the
 * limiter must not make it so: when Redis does not answer within a short timeout the count falls back to this
 * process's memory (fail open, per process) until Redis is back.
 */
export class RedisCounter implements RateCounter {
  private readonly redis: IORedis;
  private readonly fallback = new MemoryCounter();
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.redis = new IORedis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      lazyConnect: true,
      // The counts of requests that arrive together go to Redis in one write (one system call, one round trip).
      enableAutoPipelining: true,
    });
    this.redis.on('error', () => undefined); // reconnection is automatic; each failed command falls back and warns
    this.redis.defineCommand('dusRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis.connect().catch(() => undefined);
  }

  private warn(err: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(
      { err: err instanceof Error ? err.message : err },
      'rate limits counted per process: Redis is unreachable',
    );
  }

  async hit(key: string, weight: number, windowMs: number): Promise<Window> {
    try {
      const [count, ttl] = await (
        this.redis as unknown as { dusRateHit(k: string, w: number, ms: number): Promise<[number, number]> }
      ).dusRateHit(`${this.prefix}${key}`, weight, windowMs);
      return { count: Number(count), resetMs: Number(ttl) };
    } catch (err) {
      this.warn(err);
      return this.fallback.hit(key, weight, windowMs);
    }
  }

  async peek(key: string, windowMs: number): Promise<Window> {
    try {
      const [[, count], [, ttl]] = (await this.redis
        .multi()
        .get(`${this.prefix}${key}`)
        .pttl(`${this.prefix}${key}`)
        .exec()) as [unknown, unknown][];
      const n = Number(count ?? 0);
      return { count: n, resetMs: Number(ttl) > 0 ? Number(ttl) : windowMs };
    } catch (err) {
      this.warn(err);
      return this.fallback.peek(key, windowMs);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    this.redis.disconnect();
  }
}
