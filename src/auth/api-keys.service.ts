import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import { NotFoundError } from '../http/errors';
import { decodeCursor, page } from '../http/pagination';
import { auditActor } from './actor';
import { type Actor } from '../http/actor';
import {
  countLiveAdmins,
  keysBySecretHash,
  listKeys,
  liveKeyBySecretHash,
  lockKey,
  newKey,
  notifyOnCommit,
  otherLiveRoles,
  saveKey,
  touchLastUsed,
  type StoredApiKey,
} from './api-keys.repository';
import type { ApiKeyView, CreateApiKeyInput } from './api-keys.schemas';
import { hashSecret, newSecret, secretPrefix } from './secrets';
import { REVOCATION_CHANNEL, type KeyCache } from './key-cache';
import type { UnitOfWork } from '../db/unit-of-work';

export type { ApiKeyView } from './api-keys.schemas';

export const BOOTSTRAP_PERSON = 'bootstrap-admin';

function view(key: StoredApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    organization: key.organization,
    person: key.person ?? null,
    secretPrefix: key.secretPrefix,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt ? key.expiresAt.toISOString() : null,
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}

export interface ApiKeysOptions {
  cache?: KeyCache;
  logger?: Logger;
  /** Milliseconds between two writes of one key's last_used_at (0: never written). */
  lastUsedIntervalMs?: number;
}

export class ApiKeysService {
  private readonly cache?: KeyCache;
  private readonly logger?: Logger;
  private readonly lastUsedIntervalMs: number;
  /** When this process last wrote each key's last_used_at: most requests write nothing. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    options: ApiKeysOptions = {},
  ) {
    this.cache = options.cache;
    this.logger = options.logger;
    this.lastUsedIntervalMs = options.lastUsedIntervalMs ?? 5 * 60_000;
  }

  async create(
    actor: Actor | null,
    input: CreateApiKeyInput,
    secret = newSecret(),
    bootstrap = false,
  ): Promise<ApiKeyView & { secret: string }> {
    return this.uow.run(async (m) => {
      const key = newKey(m, {
        name: input.name,
        role: input.role,
        organization: input.organization,
        person: input.person ?? null,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        lastUsedAt: null,
        bootstrap,
        secretHash: hashSecret(secret),
        secretPrefix: secretPrefix(secret),
        createdBy: actor?.keyId ?? null,
        revokedAt: null,
      });
      // Roles the person already holds through other live keys: one person as reviewer and supervisor defeats nothing
      // by itself (four-eyes compares persons) but is worth an auditor's look.
      const otherRoles = key.person ? await otherLiveRoles(m, key.person, key.role) : [];
      await saveKey(m, key);
      const who = actor ? auditActor(actor) : SYSTEM_ACTOR;
      await recordAudit(m, who, {
        action: 'api_key.created',
        subjectType: 'api_key',
        subjectId: key.id,
        data: {
          name: key.name,
          role: key.role,
          organization: key.organization,
          secretPrefix: key.secretPrefix,
          person: key.person,
          expiresAt: key.expiresAt?.toISOString() ?? null,
          ...(bootstrap ? { bootstrap: true } : {}),
        },
      });
      if (otherRoles.length) {
        await recordAudit(m, who, {
          action: 'api_key.person_multiple_roles',
          subjectType: 'api_key',
          subjectId: key.id,
          data: { person: key.person, role: key.role, otherRoles: otherRoles.map((r) => r.role) },
        });
      }
      return { ...view(key), secret };
    });
  }

  async list(limit: number, cursor?: string): Promise<{ items: ApiKeyView[]; nextCursor: string | null }> {
    const rows = await listKeys(this.dataSource, limit, decodeCursor(cursor));
    const result = page(rows, limit, (k) => [k.createdAt, k.id]);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyView> {
    return this.uow.run(async (m) => {
      const key = await lockKey(m, id);
      if (!key) throw new NotFoundError('API key');
      if (key.revokedAt) return view(key);
      key.revokedAt = new Date();
      await saveKey(m, key);
      await recordAudit(m, auditActor(actor), {
        action: 'api_key.revoked',
        subjectType: 'api_key',
        subjectId: key.id,
        data: { name: key.name, person: key.person },
      });
      // Delivered at commit to every process's key cache.
      await notifyOnCommit(m, REVOCATION_CHANNEL, key.id);
      this.cache?.evictKey(key.id);
      return view(key);
    });
  }

  /** The actor behind a secret, or undefined when it is unknown, revoked or expired. Checked on every request. */
  async authenticate(secret: string): Promise<Actor | undefined> {
    const hash = hashSecret(secret);
    const cached = this.cache?.get(hash);
    if (cached) {
      this.touch(cached.keyId);
      return cached;
    }
    const row = await liveKeyBySecretHash(this.dataSource, hash);
    if (!row) return undefined;
    const actor: Actor = {
      keyId: row.id,
      name: row.name,
      role: row.role,
      organization: row.organization,
      person: row.person,
      expiresAtMs: row.expires_at ? row.expires_at.getTime() : null,
    };
    this.cache?.set(hash, actor);
    this.touch(actor.keyId);
    return actor;
  }

  /**
   * Records that a key was used, coarsely: at most one write per key per interval from this process, and the UPDATE's
   * own condition keeps other processes from writing again within the interval. Never on the request's critical path.
   */
  private touch(keyId: string): void {
    if (this.lastUsedIntervalMs <= 0) return;
    const now = Date.now();
    const last = this.touched.get(keyId);
    if (last !== undefined && now - last < this.lastUsedIntervalMs) return;
    if (this.touched.size > 10_000) this.touched.clear();
    this.touched.set(keyId, now);
    touchLastUsed(this.dataSource, keyId, this.lastUsedIntervalMs).catch((err: unknown) => {
      this.touched.delete(keyId);
      this.logger?.debug({ err: err instanceof Error ? err.message : err, keyId }, 'could not record key use');
    });
  }

  /**
   * BOOTSTRAP_ADMIN_KEY: makes an admin key with this secret only while no active admin key exists, so a fresh
   * deployment can create the rest through the API. A revoked bootstrap key stays revoked: an admin's revocation wins over
   * configuration (the warning names the situation, never the secret). Idempotent across restarts and processes.
   */
  async ensureBootstrapKey(secret: string, organization: string): Promise<void> {
    const existing = await keysBySecretHash(this.dataSource, hashSecret(secret));
    if (existing.length && !existing[0].revoked_at) return;
    if (existing.length) {
      this.logger?.warn(
        { keyId: existing[0].id },
        'BOOTSTRAP_ADMIN_KEY names an API key that was revoked; it is not restored. Use another admin key, or set BOOTSTRAP_ADMIN_KEY to a new secret (it takes effect only while no active admin key exists).',
      );
      return;
    }
    const n = await countLiveAdmins(this.dataSource);
    if (n > 0) {
      this.logger?.info(
        'BOOTSTRAP_ADMIN_KEY not used: an active admin key exists (the bootstrap key is made only for a deployment without one)',
      );
      return;
    }
    try {
      await this.create(
        null,
        { name: 'bootstrap admin', role: 'admin', organization, person: BOOTSTRAP_PERSON },
        secret,
        true,
      );
    } catch (err) {
      // Another process created it at the same moment: the unique index on secret_hash decided.
      if ((err as { code?: string }).code !== '23505') throw err;
    }
  }
}
