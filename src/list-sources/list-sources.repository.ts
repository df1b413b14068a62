import type { DataSource, EntityManager } from 'typeorm';

/** Conditional-GET state per part: what the publisher said last time. */
export interface Validators {
  [part: string]: { etag?: string; lastModified?: string };
}

export type FetchOutcome = 'not_modified' | 'unchanged' | 'changed' | 'error';

export interface SourceRow {
  listId: string;
  format: string;
  urls: Record<string, string>;
  refreshMinutes: number;
  enabled: boolean;
  origin: 'admin' | 'shipped';
  status: 'never' | 'ok' | 'stale';
  lastOutcome: FetchOutcome | null;
  lastCheckedAt: Date | null;
  lastChangedAt: Date | null;
  lastError: string | null;
  lastVersionId: string | null;
  /** Status and error of lastVersionId, joined in (a fetched file that failed to import makes the source failed). */
  lastVersionStatus: string | null;
  lastVersionError: string | null;
  nextCheckAt: Date;
  validators: Validators;
}

const SELECT = `
  SELECT s.list_id AS "listId", s.format, s.urls, s.refresh_minutes AS "refreshMinutes", s.enabled, s.origin, s.status,
         s.last_outcome AS "lastOutcome", s.last_checked_at AS "lastCheckedAt", s.last_changed_at AS "lastChangedAt",
         s.last_error AS "lastError", s.last_version_id AS "lastVersionId", v.status AS "lastVersionStatus",
         v.error AS "lastVersionError", s.next_check_at AS "nextCheckAt", s.validators
    FROM list_sources s LEFT JOIN list_versions v ON v.id = s.last_version_id`;

type Db = DataSource | EntityManager;

export async function findSource(db: Db, listId: string): Promise<SourceRow | null> {
  const rows: SourceRow[] = await db.query(`${SELECT} WHERE s.list_id = $1`, [listId]);
  return rows[0] ?? null;
}

export async function allSources(db: Db): Promise<SourceRow[]> {
  return db.query(`${SELECT} ORDER BY s.list_id`);
}

export interface SourceSettings {
  listId: string;
  format: string;
  urls: Record<string, string>;
  refreshMinutes: number;
  enabled: boolean;
  origin: 'admin' | 'shipped';
}

/**
 * Creates or replaces a source's settings. New URLs or a new format forget the conditional-GET validators (they
 * describe other files); the status and history stay. The caller enqueues the first check itself, so the next
 * scheduled one is an interval away.
 */
export async function upsertSource(m: EntityManager, s: SourceSettings): Promise<{ created: boolean }> {
  const rows: { created: boolean }[] = await m.query(
    `INSERT INTO list_sources (list_id, format, urls, refresh_minutes, enabled, origin, next_check_at)
     VALUES ($1, $2, $3::jsonb, $4::int, $5, $6, now() + $4::int * interval '1 minute')
     ON CONFLICT (list_id) DO UPDATE SET
       format = EXCLUDED.format, urls = EXCLUDED.urls, refresh_minutes = EXCLUDED.refresh_minutes, enabled = EXCLUDED.enabled,
       origin = EXCLUDED.origin, next_check_at = EXCLUDED.next_check_at, updated_at = now(),
       validators = CASE WHEN list_sources.urls = EXCLUDED.urls AND list_sources.format = EXCLUDED.format
                         THEN list_sources.validators ELSE '{}'::jsonb END
     RETURNING (xmax = 0) AS created`,
    [s.listId, s.format, JSON.stringify(s.urls), s.refreshMinutes, s.enabled, s.origin],
  );
  return rows[0];
}

/** Inserts a shipped default unless the list already has a source; true when inserted. */
export async function insertSourceIfAbsent(m: EntityManager, s: SourceSettings): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `INSERT INTO list_sources (list_id, format, urls, refresh_minutes, enabled, origin, next_check_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, now()) ON CONFLICT (list_id) DO NOTHING RETURNING 1`,
    [s.listId, s.format, JSON.stringify(s.urls), s.refreshMinutes, s.enabled, s.origin],
  );
  return rows.length > 0;
}

/**
 * Claims the sources due a check (skipping rows another process is claiming at this moment) and moves their next
 * check one interval on, so each due check is enqueued once however many schedulers run.
 */
export async function claimDueSources(m: EntityManager, includeShipped: boolean, limit = 50): Promise<string[]> {
  const rows: { list_id: string }[] = await m.query(
    `WITH due AS (
       SELECT list_id FROM list_sources
        WHERE enabled AND next_check_at <= now() AND ($1::boolean OR origin <> 'shipped')
        ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     moved AS (
       UPDATE list_sources s SET next_check_at = now() + s.refresh_minutes * interval '1 minute'
         FROM due WHERE s.list_id = due.list_id RETURNING s.list_id)
     SELECT list_id FROM moved`,
    [includeShipped, limit],
  );
  return rows.map((r) => r.list_id);
}

/**
 * A lease on fetching one source, so two processes (or a retry and a manual refresh) never fetch it at once. A lease
 * left by a crashed process runs out by itself. Returns the source when this caller holds the lease.
 */
export async function leaseSource(db: Db, listId: string, leaseMs: number): Promise<SourceRow | null> {
  const rows: { list_id: string }[] = await db.query(
    `WITH leased AS (
       UPDATE list_sources SET fetching_until = now() + ($2::int * interval '1 millisecond')
        WHERE list_id = $1 AND (fetching_until IS NULL OR fetching_until < now()) RETURNING list_id)
     SELECT list_id FROM leased`,
    [listId, leaseMs],
  );
  return rows.length ? findSource(db, listId) : null;
}

export async function releaseSource(db: Db, listId: string): Promise<void> {
  await db.query(`UPDATE list_sources SET fetching_until = NULL WHERE list_id = $1`, [listId]);
}

export interface CheckResult {
  outcome: FetchOutcome;
  error?: string;
  validators?: Validators;
  /** Set when the fetch created a version. */
  versionId?: string;
  /** Set when the bytes are those of a stored version: the source now points at it, and nothing changed. */
  sameAsVersionId?: string;
}

/** Records the outcome of one check: reachable (ok) or not (stale, the error kept). */
export async function recordCheck(db: Db, listId: string, r: CheckResult): Promise<void> {
  await db.query(
    `UPDATE list_sources SET
       status = CASE WHEN $2 = 'error' THEN 'stale' ELSE 'ok' END,
       last_outcome = $2, last_checked_at = now(), last_error = $3,
       validators = COALESCE($4::jsonb, validators),
       last_version_id = COALESCE($5::uuid, $6::uuid, last_version_id),
       last_changed_at = CASE WHEN $5::uuid IS NULL THEN last_changed_at ELSE now() END,
       updated_at = now()
     WHERE list_id = $1`,
    [
      listId,
      r.outcome,
      r.error ?? null,
      r.validators ? JSON.stringify(r.validators) : null,
      r.versionId ?? null,
      r.sameAsVersionId ?? null,
    ],
  );
}

/**
 * The stored version a fetch with this digest would repeat: the active version first, else the newest one (held,
 * failed, importing...), whose file is already being dealt with.
 */
export async function versionWithDigest(db: Db, listId: string, digest: string): Promise<string | null> {
  const rows: { id: string }[] = await db.query(
    `SELECT id FROM (
       SELECT v.id, 0 AS rank FROM lists l JOIN list_versions v ON v.id = l.active_version_id WHERE l.id = $1 AND v.sha256 = $2
       UNION ALL
       (SELECT id, 1 FROM list_versions WHERE list_id = $1 ORDER BY created_at DESC LIMIT 1)
     ) candidates
     WHERE id IN (SELECT id FROM list_versions WHERE sha256 = $2) ORDER BY rank LIMIT 1`,
    [listId, digest],
  );
  return rows[0]?.id ?? null;
}

export interface ListAgeRow {
  listId: string;
  ageSeconds: number | null;
  sourceStatus: string | null;
  lastOutcome: string | null;
  lastCheckedAt: Date | null;
}

/** For /metrics: each list's active-version age and its source's state. */
export async function listAges(db: Db): Promise<ListAgeRow[]> {
  return db.query(
    `SELECT l.id AS "listId",
            extract(epoch FROM now() - v.activated_at)::float8 AS "ageSeconds",
            CASE WHEN s.list_id IS NULL THEN NULL
                 WHEN s.status = 'ok' AND lv.status = 'failed' THEN 'failed' ELSE s.status END AS "sourceStatus",
            s.last_outcome AS "lastOutcome", s.last_checked_at AS "lastCheckedAt"
       FROM lists l
       LEFT JOIN list_versions v ON v.id = l.active_version_id
       LEFT JOIN list_sources s ON s.list_id = l.id
       LEFT JOIN list_versions lv ON lv.id = s.last_version_id
      ORDER BY l.id`,
  );
}
