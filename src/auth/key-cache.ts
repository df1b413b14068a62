import type { Logger } from 'pino';
import { PgListener } from '../db/pg-listener';
import type { Actor } from '../http/actor';

export const REVOCATION_CHANNEL = 'api_key_revoked';

/**
 * A short-lived cache of authenticated keys, so a request costs no database round trip for its key. Revocation still
 * takes effect at once: the revoking transaction sends a NOTIFY on commit and every process evicts the key when it
 * hears it (this process evicts it directly). While the listening connection is down the cache is bypassed, so a
 * missed notification can never keep a revoked key alive; the TTL bounds any other staleness.
 */
export class KeyCache {
  private readonly entries = new Map<string, { actor: Actor; expires: number }>();
  private listener: PgListener | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.listener !== undefined && this.listener.listening;
  }

  get(secretHash: string): Actor | undefined {
    if (!this.enabled) return undefined;
    const hit = this.entries.get(secretHash);
    if (!hit) return undefined;
    if (hit.expires < Date.now() || (hit.actor.expiresAtMs !== null && hit.actor.expiresAtMs <= Date.now())) {
      this.entries.delete(secretHash);
      return undefined;
    }
    return hit.actor;
  }

  set(secretHash: string, actor: Actor): void {
    if (!this.enabled) return;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(secretHash, { actor, expires: Date.now() + this.ttlMs });
  }

  evictKey(keyId: string): void {
    for (const [hash, { actor }] of this.entries) if (actor.keyId === keyId) this.entries.delete(hash);
  }

  /**
   * Listens for revocations on a connection of its own; without it (embedded database, ttl 0) nothing is cached. While
   * the connection is down the cache is neither read nor written; revocations sent meanwhile are lost, so whatever it
   * held is dropped when the connection returns.
   */
  async start(databaseUrl: string | undefined): Promise<void> {
    if (this.ttlMs <= 0 || !databaseUrl) return;
    this.listener = new PgListener(
      databaseUrl,
      REVOCATION_CHANNEL,
      (keyId) => {
        if (keyId) this.evictKey(keyId);
      },
      () => this.entries.clear(),
      this.logger,
    );
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
  }
}
