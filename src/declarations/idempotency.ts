import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { canonicalJson } from '../audit/canonical-json';
import { ConflictError, UnprocessableError } from '../http/errors';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
  retakeAbandonedKey,
} from './idempotency.repository';

/** A request still marked in flight after this long was abandoned (its process died): the key may be used again. */
const ABANDONED_AFTER_SECONDS = 60;

export type IdempotencyStart = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Idempotency-Key handling. The key is claimed in its own short transaction before the work starts, so a concurrent
 * duplicate sees it at once (409) instead of doing the work twice; the stored answer is written in the work's own
 * transaction (by the one statement of writeNewDeclaration), so it exists exactly when the work committed. Keys are
 * kept (never purged by the service).
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async begin(organization: string, key: string, hash: string): Promise<IdempotencyStart> {
    if (await claimIdempotencyKey(this.dataSource, organization, key, hash)) return { kind: 'new' };
    const row = await findIdempotencyKey(this.dataSource, organization, key);
    if (!row) return this.begin(organization, key, hash);
    if (row.request_hash !== hash) {
      throw new UnprocessableError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request body.',
      );
    }
    if (row.status === 'done') return { kind: 'replay', status: row.response_status, body: row.response_body };
    if (Number(row.age) > ABANDONED_AFTER_SECONDS) {
      if (await retakeAbandonedKey(this.dataSource, organization, key, ABANDONED_AFTER_SECONDS)) return { kind: 'new' };
    }
    throw new ConflictError(
      'request_in_flight',
      'A request with this Idempotency-Key is still being processed; retry shortly.',
    );
  }

  /** The work failed: free the key so the client can retry with it. */
  async abandon(organization: string, key: string): Promise<void> {
    await releaseIdempotencyKey(this.dataSource, organization, key);
  }
}
