import pino, { type Logger } from 'pino';

/** Paths pino must never print: keys, secrets, signatures. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.secret',
  '*.secretHash',
  'secret',
  'config.BOOTSTRAP_ADMIN_KEY',
  'config.DATABASE_URL',
  'config.REDIS_URL',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'dual-use-screening' },
  });
}
