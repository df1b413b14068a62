/**
 * Which errors mean "the database cannot answer right now" rather than "this request is wrong": connection refused or
 * cut, server shutting down or starting, pool exhausted, or our own statement/lock timeouts firing. The error
 * middleware answers them 503 with Retry-After, so a PostgreSQL restart reads as a pause to clients, never a 500.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections). */
const UNAVAILABLE_STATES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** 57014: statement_timeout (or a cancel); 55P03: lock_timeout. The database is up but too busy for this request now. */
const BUSY_STATES = new Set(['57014', '55P03']);

const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Connection is not established/i,
];

export type DatabaseTrouble = 'unavailable' | 'busy';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  errors?: unknown;
  cause?: unknown;
}

export function databaseTrouble(err: unknown, depth = 0): DatabaseTrouble | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && (SOCKET_CODES.has(code) || UNAVAILABLE_STATES.has(code))) return 'unavailable';
  if (code && BUSY_STATES.has(code)) return 'busy';
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return 'unavailable';
  // TypeORM wraps the driver's error; Node wraps parallel connect attempts (IPv4 and IPv6) in an AggregateError.
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const i of inner) {
    const found = databaseTrouble(i, depth + 1);
    if (found) return found;
  }
  return undefined;
}
