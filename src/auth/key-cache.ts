import { Client } from 'pg';
import type { Logger } from 'pino';
import type { Actor } from './actor';

export const REVOCATION_CHANNEL = 'api_key_revoked';

/**
 * A short-lived cache of authenticated keys, so a request costs no database round trip for its key. Revocation still
 * takes effect at once: the revoking transaction sends a NOTIFY on commit and every process evicts the key when it
 * hears it (this process evicts it directly). While the listening connection is down the cache is bypassed, so a
 * missed notification can never keep a revoked key alive; the TTL bounds any other staleness.
 */
export class KeyCache {
  private readonly entries = new Map<string, { actor: Actor; expires: number }>();
  private listener: Client | undefined;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly ttlMs: number, private readonly logger: Logger) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.listening;
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

  /** Listens for revocations on a connection of its own; without it (embedded database, ttl 0) nothing is cached. */
  async start(databaseUrl: string | undefined): Promise<void> {
    if (this.ttlMs <= 0 || !databaseUrl) return;
    const connect = async () => {
      if (this.stopped) return;
      const client = new Client({ connectionString: databaseUrl });
      const down = (err?: unknown) => {
        if (this.listener !== client) return;
        this.listening = false;
        this.entries.clear();
        this.listener = undefined;
        if (err) this.logger.warn({ err: err instanceof Error ? err.message : err }, 'key revocation listener lost; key cache bypassed until it returns');
        client.end().catch(() => undefined);
        if (!this.stopped) this.retry = setTimeout(() => { connect().catch(() => undefined); }, 1000);
      };
      client.on('error', down);
      client.on('end', () => down());
      client.on('notification', (msg) => { if (msg.payload) this.evictKey(msg.payload); });
      try {
        await client.connect();
        await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
        this.listener = client;
        this.listening = true;
      } catch (err) {
        this.listener = client;
        down(err);
      }
    };
    await connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.listening = false;
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }
}
