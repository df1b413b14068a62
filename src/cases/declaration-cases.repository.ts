import type { DataSource } from 'typeorm';
import type { DeclarationCaseRow } from '../declarations/declaration-cases';

export async function findCaseOfDeclaration(
  ds: DataSource,
  declarationId: string,
): Promise<DeclarationCaseRow | undefined> {
  const [reviewCase] = await ds.query(
    `SELECT id, status, level, priority, deadline, overdue, assignee_key_id, created_at, closed_at FROM review_cases WHERE declaration_id = $1`,
    [declarationId],
  );
  return reviewCase;
}

/** The decision that gave a released, held or refused declaration its status (final: approved where it needed to be). */
export async function findFinalDecision(
  ds: DataSource,
  declarationId: string,
): Promise<{ action: string; decided_at: Date } | undefined> {
  const [row]: { action: string; decided_at: Date }[] = await ds.query(
    `SELECT action, COALESCE(approved_at, decided_at) AS decided_at FROM case_decisions
     WHERE declaration_id = $1 AND action IN ('release', 'hold', 'refuse') AND approval IN ('not_required', 'approved')
     ORDER BY COALESCE(approved_at, decided_at) DESC, id DESC LIMIT 1`,
    [declarationId],
  );
  return row;
}
