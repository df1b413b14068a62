import type { Request, RequestHandler, Response } from 'express';
import ipaddr from 'ipaddr.js';
import { TooManyRequestsError } from './errors';
import type { RateCounter } from './rate-counter';

const WINDOW_MS = 60_000;
const WINDOW_SECONDS = WINDOW_MS / 1000;

export interface RateLimitOptions {
  /** Request units per API key per window; a weighted route counts several units. */
  perKeyPerMinute: number;
  /** Failed authentications (401) per client address per window before it is refused without looking at its key. */
  authFailuresPerMinute: number;
}

export interface RateLimits {
  /** Before authentication: refuses an address with too many failed authentications, and counts each 401. */
  beforeAuth: RequestHandler;
  /** After authentication: one unit for the key. */
  perKey: RequestHandler;
  /** More units for the key once the body says what the request costs (a batch: one per declaration). */
  charge(req: Request, res: Response, units: number): Promise<void>;
}

/** The address a limit counts against: IPv4 as is, IPv6 by its /64 (one host usually holds a whole /64). */
export function clientAddress(req: Request): string {
  const raw = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (!ipaddr.isValid(raw)) return raw;
  const addr = ipaddr.process(raw);
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Rate limits answered 429 with Retry-After and the IETF RateLimit / RateLimit-Policy headers. Counting goes to the
 * given counter: Redis (shared by every process) when REDIS_URL is set, this process's memory otherwise.
 */
export function createRateLimits(counter: RateCounter, options: RateLimitOptions): RateLimits {
  const limit = options.perKeyPerMinute;
  // Addresses this process saw fail authentication in the current window. Only these pay a Redis round trip before
  // authentication, so well-behaved clients cost nothing extra; an attacker is recognised after its first failure here.
  const suspects = new Map<string, number>();

  const account = async (req: Request, res: Response, units: number) => {
    const w = await counter.hit(`key:${req.actor!.keyId}`, units, WINDOW_MS);
    res.setHeader('RateLimit-Policy', `"per-key";q=${limit};w=${WINDOW_SECONDS}`);
    res.setHeader('RateLimit', `"per-key";r=${Math.max(0, limit - w.count)};t=${seconds(w.resetMs)}`);
    if (w.count > limit) {
      throw new TooManyRequestsError(
        `More than ${limit} request units a minute with this key (a batch counts one per declaration); retry after the Retry-After seconds.`,
        seconds(w.resetMs),
      );
    }
  };

  // Counts a 401 against the address; one shared listener instead of a closure per request.
  const onFinish = function (this: Response) {
    if (this.statusCode !== 401) return;
    const address = clientAddress(this.req);
    if (suspects.size > 100_000) suspects.clear();
    suspects.set(address, Date.now() + WINDOW_MS);
    counter.hit(`ip:${address}`, 1, WINDOW_MS).catch(() => undefined);
  };

  const beforeAuth: RequestHandler = async (req, res, next) => {
    // Parsing the address costs on every request: only done while some address is suspect (or once a 401 is sent).
    if (suspects.size > 0) {
      const address = clientAddress(req);
      const suspectUntil = suspects.get(address);
      if (suspectUntil !== undefined && suspectUntil > Date.now()) {
        const w = await counter.peek(`ip:${address}`, WINDOW_MS);
        if (w.count >= options.authFailuresPerMinute) {
          throw new TooManyRequestsError(
            `More than ${options.authFailuresPerMinute} failed authentications a minute from this address; retry after the Retry-After seconds.`,
            seconds(w.resetMs),
            'too_many_auth_failures',
          );
        }
      } else if (suspectUntil !== undefined) {
        suspects.delete(address);
      }
    }
    res.on('finish', onFinish);
    next();
  };

  return {
    beforeAuth,
    perKey: async (req, res, next) => {
      await account(req, res, 1);
      next();
    },
    charge: (req, res, units) => account(req, res, units),
  };
}
