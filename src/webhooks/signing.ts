import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 256 random bits, URL-safe, recognisable by its prefix (secret scanners can match it). */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The signature scheme (documented in the README under "Webhooks"): hex HMAC-SHA256 keyed with the whole secret string
 * (prefix included, UTF-8) over `${timestamp}.${body}`, where timestamp is the Webhook-Timestamp header (unix seconds)
 * and body the exact bytes sent. Signing the timestamp lets receivers refuse replays of old deliveries.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The Webhook-Signature header value. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `v1=${sign(secret, timestamp, body)}`;
}

export interface VerifyInput {
  secret: string;
  /** The Webhook-Signature header: one or more space-separated `v1=<hex>` (several while a secret is rotated). */
  signature: string;
  /** The Webhook-Timestamp header. */
  timestamp: string;
  body: string;
  /** Largest accepted age (either way) of the timestamp, in seconds. */
  toleranceSec?: number;
  nowSec?: number;
}

/** What a receiver does; used by our tests and shown in the README. Constant-time comparison. */
export function verifySignature(input: VerifyInput): boolean {
  if (!/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  const now = input.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(sign(input.secret, timestamp, input.body), 'hex');
  return input.signature.split(' ').some((part) => {
    const match = /^v1=([0-9a-f]{64})$/.exec(part.trim());
    return match !== null && timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
  });
}
