import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { canonicalJson } from '../audit/canonical-json';
import { turnBatch } from '../db/turn-batch';
import { ConflictError, UnprocessableError } from '../http/errors';
import {
  claimIdempotencyKeys,
  findIdempotencyKey,
  type KeyClaim,
  releaseIdempotencyKey,
  retakeAbandonedKey,
} from './idempotency.repository';

/** A request still marked in flight after this long was abandoned (its process died): the key may be used again. */
const ABANDONED_AFTER_SECONDS = 60;

/** Claims sent in one statement at most (more wait for the next one). */
const MAX_CLAIMS_PER_STATEMENT = 256;

/**
 * `new`: this request holds the key; listGeneration, when known, is the lists' generation read after the request
 * arrived (the claim's own snapshot), so screening needs no read of its own (ReferenceIndex.current).
 */
export type IdempotencyStart =
  { kind: 'new'; listGeneration?: number } | { kind: 'replay'; status: number; body: unknown };

interface Claimed {
  claimed: boolean;
  listGeneration: number;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Idempotency-Key handling. The key is claimed in its own short transaction before the work starts, so a concurrent
 * duplicate sees it at once (409) instead of doing the work twice; the stored answer is written in the work's own
 * transaction (by the one statement of writeNewDeclaration), so it exists exactly when the work committed. Keys are
 * kept (never purged by the service).
 *
 * The claims of the requests that reach this point in the same turn of the event loop go to PostgreSQL together: one
 * statement, one commit and one round trip for all of them (turnBatch: sent when the loop has handled every ready
 * request), and the same statement reads the lists' generation for their screenings (issue 15: each submission used
 * to spend a round trip and a commit on its claim, and a third of one on the generation). A claim goes out at the end
 * of the turn in which it was asked, and never waits for a later request.
 */
export class IdempotencyStore {
  private readonly claim: (c: KeyClaim) => Promise<Claimed>;

  constructor(private readonly dataSource: DataSource) {
    this.claim = turnBatch((batch) => this.claimBatch(batch), MAX_CLAIMS_PER_STATEMENT);
  }

  async begin(organization: string, key: string, hash: string): Promise<IdempotencyStart> {
    const claim = await this.claim({ organization, key, hash });
    if (claim.claimed) return { kind: 'new', listGeneration: claim.listGeneration };
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

  /**
   * One statement for a turn's claims, each key once and in key order (two statements that claim the same keys, from
   * two processes, then wait for each other in the same order and cannot deadlock). Two requests of one organisation
   * with the same key in one turn: the first asked takes it and the later ones find it held, as if they had come a
   * moment later.
   */
  private async claimBatch(batch: readonly KeyClaim[]): Promise<Claimed[]> {
    const idOf = (c: KeyClaim) => `${c.organization}\n${c.key}`;
    const firstOf = new Map<string, KeyClaim>();
    for (const c of batch) if (!firstOf.has(idOf(c))) firstOf.set(idOf(c), c);
    const ids = [...firstOf.keys()].sort();
    const { claimed, listGeneration } = await claimIdempotencyKeys(
      this.dataSource,
      ids.map((id) => firstOf.get(id) as KeyClaim),
    );
    const taken = new Map(ids.map((id, i) => [id, claimed[i]]));
    return batch.map((c) => {
      const id = idOf(c);
      const took = firstOf.get(id) === c && (taken.get(id) ?? false);
      return { claimed: took, listGeneration };
    });
  }

  /** The work failed: free the key so the client can retry with it. */
  async abandon(organization: string, key: string): Promise<void> {
    await releaseIdempotencyKey(this.dataSource, organization, key);
  }
}
