import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'dus_';

/** A new API key secret: 256 random bits, URL-safe, recognisable by its prefix (secret scanners can match it). */
export function newSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Secrets are 256-bit random values, so a fast hash is enough: there is nothing to brute-force, unlike a password.
 * A fast hash also lets every request be checked against the database, so a revocation takes effect at once.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretPrefix(secret: string): string {
  return secret.slice(0, PREFIX.length + 6);
}
