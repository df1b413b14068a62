import type { DataSource, EntityManager } from 'typeorm';

/** Review-case reads of the delisting re-screen (src/rescreen/delistings.ts): the table belongs here. */

export interface OpenCaseHits {
  case_id: string;
  declaration_id: string;
  entry_ids: string[];
}

/** Open cases whose declaration's latest screening has hits on entries of the list, with those entry ids. */
export async function openCaseHitsOnList(dataSource: DataSource, listId: string): Promise<OpenCaseHits[]> {
  return dataSource.query(
    `SELECT rc.id AS case_id, rc.declaration_id, array_agg(DISTINCT h->>'entryId') AS entry_ids
     FROM review_cases rc
     JOIN declarations d ON d.id = rc.declaration_id
     JOIN screenings s ON s.id = d.latest_screening_id
     CROSS JOIN LATERAL jsonb_array_elements(s.hits) h
     WHERE rc.closed_at IS NULL AND h->>'listId' = $1 AND h->>'entryId' IS NOT NULL
     GROUP BY rc.id, rc.declaration_id`,
    [listId],
  );
}

/** Locks the case's row (FOR UPDATE) and returns when it closed; undefined when it does not exist. */
export async function lockCaseClosedAt(
  m: EntityManager,
  caseId: string,
): Promise<{ closed_at: Date | null } | undefined> {
  const [current]: { closed_at: Date | null }[] = await m.query(
    `SELECT closed_at FROM review_cases WHERE id = $1 FOR UPDATE`,
    [caseId],
  );
  return current;
}
