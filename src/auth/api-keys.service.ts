import type { DataSource } from 'typeorm';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import { NotFoundError } from '../http/errors';
import { decodeCursor, page } from '../http/pagination';
import { auditActor, type Actor } from './actor';
import { ApiKey, type Role } from './api-key.entity';
import { hashSecret, newSecret, secretPrefix } from './secrets';
import { REVOCATION_CHANNEL, type KeyCache } from './key-cache';
import type { UnitOfWork } from '../db/unit-of-work';

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  organization: string;
  secretPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

function view(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    organization: key.organization,
    secretPrefix: key.secretPrefix,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}

export class ApiKeysService {
  constructor(private readonly dataSource: DataSource, private readonly uow: UnitOfWork, private readonly cache?: KeyCache) {}

  async create(actor: Actor | null, input: { name: string; role: Role; organization: string }, secret = newSecret()): Promise<ApiKeyView & { secret: string }> {
    return this.uow.run(async (m) => {
      const key = m.create(ApiKey, {
        ...input,
        secretHash: hashSecret(secret),
        secretPrefix: secretPrefix(secret),
        createdBy: actor?.keyId ?? null,
        revokedAt: null,
      });
      await m.save(key);
      await recordAudit(m, actor ? auditActor(actor) : SYSTEM_ACTOR, {
        action: 'api_key.created', subjectType: 'api_key', subjectId: key.id,
        data: { name: key.name, role: key.role, organization: key.organization, secretPrefix: key.secretPrefix },
      });
      return { ...view(key), secret };
    });
  }

  async list(limit: number, cursor?: string): Promise<{ items: ApiKeyView[]; nextCursor: string | null }> {
    const after = decodeCursor(cursor);
    const qb = this.dataSource.getRepository(ApiKey).createQueryBuilder('k').orderBy('k.created_at', 'DESC').addOrderBy('k.id', 'DESC').limit(limit + 1);
    if (after) qb.where('(k.created_at, k.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await qb.getMany();
    const result = page(rows, limit, (k) => [k.createdAt, k.id]);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyView> {
    return this.uow.run(async (m) => {
      const key = await m.findOne(ApiKey, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw new NotFoundError('API key');
      if (key.revokedAt) return view(key);
      key.revokedAt = new Date();
      await m.save(key);
      await recordAudit(m, auditActor(actor), { action: 'api_key.revoked', subjectType: 'api_key', subjectId: key.id, data: { name: key.name } });
      // Delivered at commit to every process's key cache.
      await m.query(`SELECT pg_notify($1, $2)`, [REVOCATION_CHANNEL, key.id]);
      this.cache?.evictKey(key.id);
      return view(key);
    });
  }

  /** The actor behind a secret, or undefined when it is unknown or revoked. Checked on every request. */
  async authenticate(secret: string): Promise<Actor | undefined> {
    const hash = hashSecret(secret);
    const cached = this.cache?.get(hash);
    if (cached) return cached;
    const rows: { id: string; name: string; role: Role; organization: string }[] = await this.dataSource.query(
      `SELECT id, name, role, organization FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL`, [hash]);
    const row = rows[0];
    if (!row) return undefined;
    const actor: Actor = { keyId: row.id, name: row.name, role: row.role, organization: row.organization };
    this.cache?.set(hash, actor);
    return actor;
  }

  /** Guarantees an active admin key with this secret (BOOTSTRAP_ADMIN_KEY); idempotent across restarts and processes. */
  async ensureBootstrapKey(secret: string, organization: string): Promise<void> {
    const existing: { revoked_at: Date | null }[] = await this.dataSource.query(
      `SELECT revoked_at FROM api_keys WHERE secret_hash = $1`, [hashSecret(secret)]);
    if (existing.length && !existing[0].revoked_at) return;
    if (existing.length) {
      // Configuration wins over a revocation: the operator asked for this key to work.
      await this.uow.run(async (m) => {
        const [{ id }] = await m.query(`WITH restored AS (UPDATE api_keys SET revoked_at = NULL WHERE secret_hash = $1 RETURNING id) SELECT id FROM restored`, [hashSecret(secret)]);
        await recordAudit(m, SYSTEM_ACTOR, { action: 'api_key.restored', subjectType: 'api_key', subjectId: id, data: { reason: 'BOOTSTRAP_ADMIN_KEY' } });
      });
      return;
    }
    try {
      await this.create(null, { name: 'bootstrap admin', role: 'admin', organization }, secret);
    } catch (err) {
      // Another process created it at the same moment: the unique index on secret_hash decided.
      if ((err as { code?: string }).code !== '23505') throw err;
    }
  }
}
