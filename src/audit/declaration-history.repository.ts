import type { DataSource } from 'typeorm';

/** The audit events of a declaration and of its review case, oldest first, as a declaration's history shows them. */
export async function findSubjectHistory(
  ds: DataSource,
  declarationId: string,
  caseId: string,
): Promise<Record<string, unknown>[]> {
  return ds.query(
    `SELECT seq, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", actor, action, subject_type AS "subjectType", subject_id AS "subjectId", data
     FROM audit_events WHERE subject_id = $1 OR subject_id = $2 ORDER BY id`,
    [declarationId, caseId],
  );
}
