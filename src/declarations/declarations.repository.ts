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

/** Everything the one statement of new, screened declarations writes for one of them (see writeNewDeclaration). */
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
  /** The answer stored under this Idempotency-Key, when one was given (with the hash of the body that claimed it). */
  idempotent: { key: string; requestHash: string; answer: unknown } | null;
  search: { names: string; keys: string[]; partyNames: string[] };
}

/**
 * The one statement that writes new declarations (below), any number at once; prepared, as every submission runs it.
 * One row of `x` per declaration ($1-$23); the rows a declaration has several of (search keys, party names, audit
 * events, outbox rows) come flattened, each with the position of its declaration in `x` (`o`). JSON values come as one
 * JSON array per column rather than as text arrays, whose literal the driver would escape quote by quote and
 * PostgreSQL unescape again.
 */
const WRITE_SCREENED_DECLARATIONS = prepared(
  'write_screened_declarations',
  `WITH x AS (
       SELECT * FROM ROWS FROM (unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]),
         jsonb_array_elements($5::jsonb), unnest($6::text[]), unnest($7::text[]), unnest($8::int[]), unnest($9::uuid[]),
         unnest($10::uuid[]), unnest($11::uuid[]), unnest($12::text[]), jsonb_array_elements($13::jsonb),
         jsonb_array_elements($14::jsonb), unnest($15::text[]), unnest($16::timestamptz[]), unnest($17::uuid[]),
         unnest($18::int[]), unnest($19::timestamptz[]), jsonb_array_elements($20::jsonb), unnest($21::text[]),
         jsonb_array_elements($22::jsonb), unnest($23::text[]), unnest($39::text[]))
       WITH ORDINALITY AS x(id, org, ref, proc, body, status, outcome, risk, sid, batch, by_key, trig, hits, lv, rs, sat,
         cid, prio, deadline, actor, ikey, answer, names, ihash, i)),
     d AS (
       INSERT INTO declarations (id, organization, reference, procedure, body, status, outcome, risk_score, latest_screening_id, batch_id, submitted_by)
       SELECT id, org, ref, proc, body, status, outcome, risk, sid, batch, by_key FROM x ORDER BY i
       RETURNING id, created_at),
     dx AS (SELECT x.i, x.id, x.org, x.names, d.created_at FROM x JOIN d ON d.id = x.id),
     k AS (
       INSERT INTO declaration_search (declaration_id, organization, created_at, names, keys)
       SELECT dx.id, dx.org, dx.created_at, dx.names,
         ARRAY(SELECT u.k FROM unnest($24::text[], $25::int[]) WITH ORDINALITY AS u(k, o, n) WHERE u.o = dx.i ORDER BY u.n)
       FROM dx),
     pn AS (
       INSERT INTO party_names (folded, id)
       SELECT u.x, hashtextextended(u.x, 0) FROM (SELECT DISTINCT x FROM unnest($26::text[]) AS x) u ORDER BY u.x
       ON CONFLICT DO NOTHING),
     dp AS (
       INSERT INTO declaration_party_names (name_id, created_at, declaration_id, organization)
       SELECT hashtextextended(u.x, 0), dx.created_at, dx.id, dx.org FROM unnest($26::text[], $27::int[]) AS u(x, o) JOIN dx ON dx.i = u.o
       ON CONFLICT DO NOTHING),
     s AS (
       INSERT INTO screenings (id, declaration_id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at)
       SELECT sid, id, trig, outcome, risk, hits, lv, rs, sat FROM x ORDER BY i),
     c AS (
       INSERT INTO review_cases (id, declaration_id, organization, status, level, priority, risk_score, deadline)
       SELECT cid, id, org, 'open', outcome, prio, risk, deadline FROM x WHERE cid IS NOT NULL ORDER BY i),
     a AS (
       INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
       SELECT x.actor, u.a, u.t, u.s, u.d
       FROM ROWS FROM (unnest($28::text[]), unnest($29::text[]), unnest($30::text[]), jsonb_array_elements($31::jsonb),
         unnest($32::int[])) WITH ORDINALITY AS u(a, t, s, d, o, n)
       JOIN x ON x.i = u.o ORDER BY u.n),
     o AS (
       INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
       SELECT u.n, u.p::jsonb, u.k, now() + u.ms * interval '1 millisecond'
       FROM ROWS FROM (unnest($33::text[]), json_array_elements($34::json), unnest($35::text[]), unnest($36::int[]),
         unnest($37::text[]), unnest($38::int[])) AS u(n, p, k, ms, ev, o)
       JOIN x ON x.i = u.o
       WHERE u.ev IS NULL
         OR EXISTS (SELECT 1 FROM webhooks w WHERE w.organization = x.org AND w.deleted_at IS NULL AND u.ev = ANY (w.events))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key),
     i AS (
       INSERT INTO idempotency_keys (organization, key, request_hash, status, response_status, response_body)
       SELECT org, ikey, ihash, 'done', 201, answer FROM x WHERE ikey IS NOT NULL
       ON CONFLICT (organization, key) DO UPDATE
         SET status = 'done', response_status = 201, response_body = EXCLUDED.response_body)
     SELECT ARRAY(SELECT dedupe_key FROM o) AS queued`,
);

/**
 * Writes new, screened declarations in ONE statement, whatever their number: each declaration, its search keys and
 * party names, its screening, the review case when a person must look, the audit events, the outbox rows (webhook
 * events only where a webhook of the organisation subscribes) and the idempotent answer. Foreign keys between the rows
 * are checked at the end of the statement, and one failure writes nothing at all. Answers, per declaration, how many
 * outbox rows it wrote. Outbox payloads travel as `json` (checked, not parsed into jsonb) and become jsonb only for a row
 * the webhook filter keeps: where no webhook subscribes (most organisations), PostgreSQL never builds them. The
 * declarations are written in the order of (organisation, reference), and the dictionary's new names in their own
 * order, so two statements that write the same reference or name wait for each other in the same order (no deadlock).
 * The idempotent answer goes in as an upsert on the key's claim row: ON CONFLICT finds the row through the primary key
 * whatever the planner thinks of the table's size. (An UPDATE joined to `x`, on the generic plan made while the table
 * was small and never re-made where nothing analyses it, read the whole table once per statement: 1,500 rows per
 * declaration after 13,000 submissions.)
 */
export async function insertScreenedDeclarations(
  m: EntityManager,
  declarations: readonly ScreenedDeclarationRows[],
): Promise<number[]> {
  const rows = [...declarations].sort(
    (a, b) => compare(a.organization, b.organization) || compare(a.input.reference, b.input.reference),
  );
  const col = <T>(f: (r: ScreenedDeclarationRows) => T) => rows.map(f);
  const flat = <T, U>(of: (r: ScreenedDeclarationRows) => readonly T[], f: (t: T) => U) =>
    rows.flatMap((r) => of(r).map(f));
  const owner = <T>(of: (r: ScreenedDeclarationRows) => readonly T[]) => rows.flatMap((r, i) => of(r).map(() => i + 1));
  const outbox = (r: ScreenedDeclarationRows) => r.outbox;
  const audit = (r: ScreenedDeclarationRows) => r.audit;
  const [{ queued }] = await queryPrepared<{ queued: string[] }>(m, WRITE_SCREENED_DECLARATIONS, [
    col((r) => r.declarationId),
    col((r) => r.organization),
    col((r) => r.input.reference),
    col((r) => r.input.procedure),
    JSON.stringify(col((r) => r.input)),
    col((r) => r.status),
    col((r) => r.result.outcome),
    col((r) => r.result.riskScore),
    col((r) => r.screeningId),
    col((r) => r.batchId),
    col((r) => r.submittedBy),
    col((r) => r.trigger),
    JSON.stringify(col((r) => r.result.hits)),
    JSON.stringify(col((r) => r.result.listVersions)),
    col((r) => r.result.rulesetVersion),
    col((r) => r.result.screenedAt),
    col((r) => r.reviewCase.id),
    col((r) => r.reviewCase.priority),
    col((r) => r.reviewCase.deadline),
    JSON.stringify(col((r) => r.actor)),
    col((r) => r.idempotent?.key ?? null),
    JSON.stringify(col((r) => r.idempotent?.answer ?? null)),
    col((r) => r.search.names),
    rows.flatMap((r) => r.search.keys),
    owner((r) => r.search.keys),
    rows.flatMap((r) => r.search.partyNames),
    owner((r) => r.search.partyNames),
    flat(audit, (a) => a.action),
    flat(audit, (a) => a.subjectType),
    flat(audit, (a) => a.subjectId),
    JSON.stringify(flat(audit, (a) => a.data ?? {})),
    owner(audit),
    flat(outbox, (o) => o.name),
    JSON.stringify(flat(outbox, (o) => o.payload)),
    flat(outbox, (o) => o.dedupeKey),
    flat(outbox, (o) => o.delayMs),
    flat(outbox, (o) => o.onlyForWebhookEvent ?? null),
    owner(outbox),
    col((r) => r.idempotent?.requestHash ?? null),
  ]);
  const written = new Set(queued);
  return declarations.map((r) => r.outbox.filter((o) => written.has(o.dedupeKey)).length);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
