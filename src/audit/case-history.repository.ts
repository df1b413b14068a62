import type { EntityManager } from 'typeorm';

/** What the case view (src/cases) reads of the audit log: the events of the case and of its declaration, in order. */
export async function caseHistory(m: EntityManager, caseId: string, declarationId: string): Promise<unknown[]> {
  return m.query(
    `SELECT seq, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", actor, action,
            subject_type AS "subjectType", subject_id AS "subjectId", data
     FROM audit_events WHERE subject_id = $1 OR subject_id = $2 ORDER BY id`,
    [caseId, declarationId],
  );
}
