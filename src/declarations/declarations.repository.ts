import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import type { AuditRecord } from '../audit/audit.repository';
import type { Cursor } from '../http/pagination';
import type { JobName, JobPayloads } from '../jobs/catalogue';
import { prepared, queryPrepared } from '../db/prepared';
import type { DeclarationInput } from '../screening/declaration-input';
import type { ScreeningResult, ScreeningTrigger } from './screening-records';
import { hasSearchFilter, searchPageSql, withPartyThreshold, type SearchFilters } from './search-filter';

/** A row of the outbox, as the one-statement writer inserts it. */
export interface OutboxRow {
  name: JobName;
  payload: JobPayloads[JobName];
  dedupeKey: string;
  delayMs: number;
  /** Written only when one of the organisation's webhooks subscribes to this event type. */
  onlyForWebhookEvent?: string;
}

/** Everything the one statement of a new, screened declaration writes (see writeNewDeclaration). */
export interface ScreenedDeclarationRows {
  declarationId: string;
  organization: string;
  input: DeclarationInput;
  status: string;
  batchId: string | null;
  submittedBy: string;
  screeningId: string;
  trigger: ScreeningTrigger;
  result: ScreeningResult;
  /** The review case: written only with an id (without one, priority and deadline are bound but unused). */
  reviewCase: { id: string | null; priority: number; deadline: Date };
  actor: AuditActor;
  audit: AuditRecord[];
  outbox: OutboxRow[];
  /** The answer stored under this Idempotency-Key, when one was given. */
  idempotent: { key: string; answer: unknown } | null;
  search: { names: string; keys: string[]; partyNames: string[] };
}

/** The one statement of a new declaration (below); prepared, as every submission runs it. */
const WRITE_SCREENED_DECLARATION = prepared(
  'write_screened_declaration',
  `WITH d AS (
       INSERT INTO declarations (id, organization, reference, procedure, body, status, outcome, risk_score, latest_screening_id, batch_id, submitted_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11) RETURNING created_at),
     k AS (
       INSERT INTO declaration_search (declaration_id, organization, created_at, names, keys)
       SELECT $1, $2, d.created_at, $32, $33::text[] FROM d),
     pn AS (
       INSERT INTO party_names (folded, id) SELECT x, hashtextextended(x, 0) FROM unnest($34::text[]) x ON CONFLICT DO NOTHING),
     dp AS (
       INSERT INTO declaration_party_names (name_id, created_at, declaration_id, organization)
       SELECT hashtextextended(x, 0), d.created_at, $1, $2 FROM d, unnest($34::text[]) x ON CONFLICT DO NOTHING),
     s AS (
       INSERT INTO screenings (id, declaration_id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at)
       VALUES ($9, $1, $12, $7, $8, $13::jsonb, $14::jsonb, $15, $16)),
     c AS (
       INSERT INTO review_cases (id, declaration_id, organization, status, level, priority, risk_score, deadline)
       SELECT $17::uuid, $1, $2, 'open', $7, $18, $8, $19 WHERE $17::uuid IS NOT NULL),
     a AS (
       INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
       SELECT $20::jsonb, x.a, x.t, x.s, x.d FROM unnest($21::text[], $22::text[], $23::text[], $24::jsonb[]) AS x(a, t, s, d)),
     o AS (
       INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
       SELECT x.n, x.p::jsonb, x.k, now() + x.ms * interval '1 millisecond' FROM unnest($25::text[], $26::text[], $27::text[], $28::int[], $29::text[]) AS x(n, p, k, ms, ev)
       WHERE x.ev IS NULL OR x.ev = ANY (ARRAY(SELECT unnest(w.events) FROM webhooks w WHERE w.organization = $2 AND w.deleted_at IS NULL))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1),
     i AS (
       UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = $31::jsonb
       WHERE $30::text IS NOT NULL AND organization = $2 AND key = $30)
     SELECT (SELECT count(*) FROM o)::int AS queued`,
);

/**
 * Writes a new, screened declaration in ONE statement: the declaration, its search keys and party names, its screening,
 * the review case when a person must look, the audit events, the outbox rows (webhook events only where a webhook of
 * the organisation subscribes) and the idempotent answer. Foreign keys between the rows are checked at the end of the
 * statement. Answers how many outbox rows it wrote. An outbox payload travels as text and becomes JSON only for a row the
 * webhook filter keeps: where no webhook subscribes (most organisations), PostgreSQL never parses it.
 */
export async function insertScreenedDeclaration(m: EntityManager, r: ScreenedDeclarationRows): Promise<number> {
  const { input, result, audit, outbox } = r;
  const [{ queued }] = await queryPrepared<{ queued: number }>(m, WRITE_SCREENED_DECLARATION, [
    r.declarationId,
    r.organization,
    input.reference,
    input.procedure,
    JSON.stringify(input),
    r.status,
    result.outcome,
    result.riskScore,
    r.screeningId,
    r.batchId,
    r.submittedBy,
    r.trigger,
    JSON.stringify(result.hits),
    JSON.stringify(result.listVersions),
    result.rulesetVersion,
    result.screenedAt,
    r.reviewCase.id,
    r.reviewCase.priority,
    r.reviewCase.deadline,
    JSON.stringify(r.actor),
    audit.map((a) => a.action),
    audit.map((a) => a.subjectType),
    audit.map((a) => a.subjectId),
    audit.map((a) => JSON.stringify(a.data ?? {})),
    outbox.map((o) => o.name),
    outbox.map((o) => JSON.stringify(o.payload)),
    outbox.map((o) => o.dedupeKey),
    outbox.map((o) => o.delayMs),
    outbox.map((o) => o.onlyForWebhookEvent ?? null),
    r.idempotent?.key ?? null,
    r.idempotent ? JSON.stringify(r.idempotent.answer) : null,
    r.search.names,
    r.search.keys,
    r.search.partyNames,
  ]);
  return queued;
}

/** A screening of a stored declaration; answers its id. */
export async function insertScreening(
  m: EntityManager,
  declarationId: string,
  trigger: ScreeningTrigger,
  result: ScreeningResult,
): Promise<string> {
  const [screening] = await m.query(
    `INSERT INTO screenings (declaration_id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8) RETURNING id`,
    [
      declarationId,
      trigger,
      result.outcome,
      result.riskScore,
      JSON.stringify(result.hits),
      JSON.stringify(result.listVersions),
      result.rulesetVersion,
      result.screenedAt,
    ],
  );
  return screening.id;
}

/**
 * Makes a screening the declaration's latest, with its outcome and status. A declaration whose broker is asked for
 * information stays so: its case keeps waiting for the answer.
 */
export async function setLatestScreening(
  m: EntityManager,
  declarationId: string,
  screeningId: string,
  result: Pick<ScreeningResult, 'outcome' | 'riskScore'>,
  needsReview: boolean,
): Promise<void> {
  await m.query(
    `UPDATE declarations SET latest_screening_id = $2, outcome = $3, risk_score = $4, updated_at = now(),
       status = CASE WHEN status = 'information_requested' THEN status WHEN $5::boolean THEN 'under_review' WHEN status = 'screening' THEN 'cleared' ELSE status END
     WHERE id = $1`,
    [declarationId, screeningId, result.outcome, result.riskScore, needsReview],
  );
}

/** Replaces the declaration's search keys of one tag (`tag`) by `keys` (already tagged). */
export async function replaceSearchKeys(
  m: EntityManager,
  declarationId: string,
  tag: string,
  keys: string[],
): Promise<void> {
  await m.query(
    `UPDATE declaration_search SET keys = ARRAY(SELECT k FROM unnest(keys) AS k WHERE left(k, 2) <> $2) || $3::text[] WHERE declaration_id = $1`,
    [declarationId, tag, keys],
  );
}

export async function findDeclaration(
  ds: DataSource | EntityManager,
  id: string,
): Promise<Record<string, any> | undefined> {
  const [d] = await ds.query(`SELECT * FROM declarations WHERE id = $1`, [id]);
  return d;
}

/** The declaration's screenings, newest first. */
export async function findScreenings(
  ds: DataSource | EntityManager,
  declarationId: string,
): Promise<Record<string, unknown>[]> {
  return ds.query(
    `SELECT id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at FROM screenings WHERE declaration_id = $1 ORDER BY screened_at DESC`,
    [declarationId],
  );
}

export interface DeclarationPageQuery extends SearchFilters {
  /** undefined: every organisation. */
  organizationScope: string | undefined;
  status?: string;
  outcome?: string;
  reference?: string;
  from?: string;
  to?: string;
  after?: Cursor;
  /** Rows to read (one more than the page, to know whether another follows). */
  limit: number;
}

/**
 * A page of declarations, newest first. With search filters the page is read from declaration_search (which carries
 * the organisation and creation time, so filter, order and limit happen on its indexes) and joined to declarations.
 */
export async function findDeclarationPage(ds: DataSource, q: DeclarationPageQuery): Promise<Record<string, any>[]> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const searching = hasSearchFilter(q);
  const t = searching ? 's' : 'd';
  const where: string[] = [];
  if (q.organizationScope !== undefined) where.push(`${t}.organization = ${p(q.organizationScope)}`);
  if (q.from) where.push(`${t}.created_at >= ${p(q.from)}`);
  if (q.to) where.push(`${t}.created_at < ${p(q.to)}`);
  const id = searching ? 's.declaration_id' : 'd.id';
  if (q.after) where.push(`(${t}.created_at, ${id}) < (${p(q.after.at)}::timestamptz, ${p(q.after.id)}::uuid)`);
  const onDeclarations: string[] = [];
  if (q.status) onDeclarations.push(`d.status = ${p(q.status)}`);
  if (q.outcome) onDeclarations.push(`d.outcome = ${p(q.outcome)}`);
  if (q.reference) onDeclarations.push(`d.reference = ${p(q.reference)}`);
  const limit = p(q.limit);
  if (searching) {
    return withPartyThreshold(ds, q, (m) =>
      m.query(searchPageSql({ base: where, declarations: onDeclarations, q, limit, p }), params),
    );
  }
  const all = [...where, ...onDeclarations];
  return ds.query(
    `SELECT d.* FROM declarations d ${all.length ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}`,
    params,
  );
}
