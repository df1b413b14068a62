import type { EntityManager } from 'typeorm';

/** SQL of the request-for-information tables: requests, the broker's responses and the documents a response cites. */

export interface RequestRow {
  id: string;
  case_id: string;
  declaration_id: string;
  organization: string;
  decision_id: string;
  message: string;
  requested_by: string;
  requested_by_name: string | null;
  requested_by_person: string | null;
  requested_at: Date;
  respond_by: Date;
  overdue_at: Date | null;
  answered_at: Date | null;
  withdrawn_at: Date | null;
}

export interface ResponseRow {
  id: string;
  request_id: string;
  message: string;
  responded_by: string;
  responded_by_name: string | null;
  responded_by_person: string | null;
  created_at: Date;
  document_ids: string[];
}

const SELECT_REQUEST = `
  SELECT r.*, k.name AS requested_by_name FROM information_requests r LEFT JOIN api_keys k ON k.id = r.requested_by`;

/** Responses with the ids of the documents they cite, in the order the broker gave them. */
const SELECT_RESPONSE = `
  SELECT x.id, x.request_id, x.message, x.responded_by, k.name AS responded_by_name, x.responded_by_person, x.created_at,
         COALESCE((SELECT array_agg(d.document_id::text ORDER BY d.position) FROM information_response_documents d WHERE d.response_id = x.id), '{}') AS document_ids
  FROM information_responses x LEFT JOIN api_keys k ON k.id = x.responded_by`;

/** The database clock, to the millisecond: one instant for every column a step writes (the pause span is exact). */
export async function dbNow(m: EntityManager): Promise<Date> {
  const [{ at }]: { at: Date }[] = await m.query(`SELECT date_trunc('milliseconds', clock_timestamp()) AS at`);
  return at;
}

export async function insertRequest(
  m: EntityManager,
  r: {
    caseId: string;
    declarationId: string;
    organization: string;
    decisionId: string;
    message: string;
    requestedBy: string;
    requestedByPerson: string | null;
    requestedAt: Date;
    respondBy: Date;
  },
): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO information_requests (case_id, declaration_id, organization, decision_id, message, requested_by, requested_by_person, requested_at, respond_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      r.caseId,
      r.declarationId,
      r.organization,
      r.decisionId,
      r.message,
      r.requestedBy,
      r.requestedByPerson,
      r.requestedAt,
      r.respondBy,
    ],
  );
  return row.id;
}

/** The case a request is about, or undefined when there is no such request. */
export async function caseOfRequest(m: EntityManager, id: string): Promise<string | undefined> {
  const [ref]: { case_id: string }[] = await m.query(`SELECT case_id FROM information_requests WHERE id = $1`, [id]);
  return ref?.case_id;
}

/** The case's request still waiting for an answer (at most one: a partial unique index), locked for the transaction. */
export async function lockOpenRequest(m: EntityManager, caseId: string): Promise<RequestRow | undefined> {
  const [row] = await m.query(
    `${SELECT_REQUEST} WHERE r.case_id = $1 AND r.answered_at IS NULL AND r.withdrawn_at IS NULL FOR UPDATE OF r`,
    [caseId],
  );
  return row;
}

export async function lockRequest(m: EntityManager, id: string): Promise<RequestRow | undefined> {
  const [row] = await m.query(`${SELECT_REQUEST} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
  return row;
}

export async function markOverdue(m: EntityManager, id: string, at: Date): Promise<void> {
  await m.query(`UPDATE information_requests SET overdue_at = $2 WHERE id = $1`, [id, at]);
}

/** Closes the case's open request without an answer (the case was decided meanwhile); the ids of those closed. */
export async function withdrawOpenRequests(m: EntityManager, caseId: string): Promise<string[]> {
  const rows: { id: string }[] = await m.query(
    `WITH withdrawn AS (
       UPDATE information_requests SET withdrawn_at = date_trunc('milliseconds', clock_timestamp())
       WHERE case_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL RETURNING id)
     SELECT id FROM withdrawn`,
    [caseId],
  );
  return rows.map((r) => r.id);
}

export async function insertResponse(
  m: EntityManager,
  r: {
    requestId: string;
    declarationId: string;
    organization: string;
    message: string;
    respondedBy: string;
    respondedByPerson: string | null;
    documentIds: string[];
    at: Date;
  },
): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO information_responses (request_id, declaration_id, organization, message, responded_by, responded_by_person, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [r.requestId, r.declarationId, r.organization, r.message, r.respondedBy, r.respondedByPerson, r.at],
  );
  if (r.documentIds.length) {
    await m.query(
      `INSERT INTO information_response_documents (response_id, position, document_id)
       SELECT $1, d.position, d.id FROM unnest($2::uuid[]) WITH ORDINALITY AS d(id, position)`,
      [row.id, r.documentIds],
    );
  }
  await m.query(`UPDATE information_requests SET answered_at = $2 WHERE id = $1`, [r.requestId, r.at]);
  return row.id;
}

export async function readResponse(m: EntityManager, id: string): Promise<ResponseRow> {
  const [row] = await m.query(`${SELECT_RESPONSE} WHERE x.id = $1`, [id]);
  return row;
}

export async function caseRequests(m: EntityManager, caseId: string): Promise<RequestRow[]> {
  return m.query(`${SELECT_REQUEST} WHERE r.case_id = $1 ORDER BY r.requested_at DESC, r.id DESC`, [caseId]);
}

export async function declarationRequests(m: EntityManager, declarationId: string): Promise<RequestRow[]> {
  return m.query(`${SELECT_REQUEST} WHERE r.declaration_id = $1 ORDER BY r.requested_at DESC, r.id DESC`, [
    declarationId,
  ]);
}

export async function responsesOf(m: EntityManager, requestIds: string[]): Promise<ResponseRow[]> {
  if (!requestIds.length) return [];
  return m.query(`${SELECT_RESPONSE} WHERE x.request_id = ANY($1::uuid[]) ORDER BY x.created_at DESC, x.id DESC`, [
    requestIds,
  ]);
}

export async function declarationResponses(m: EntityManager, declarationId: string): Promise<ResponseRow[]> {
  return m.query(`${SELECT_RESPONSE} WHERE x.declaration_id = $1 ORDER BY x.created_at DESC, x.id DESC`, [
    declarationId,
  ]);
}
