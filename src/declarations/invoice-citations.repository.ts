import type { EntityManager } from 'typeorm';

/** What invoices (src/invoices) read of declarations: those to re-screen when a late invoice arrives. */

/**
 * Declarations of the organisation that cite the number and wait for a reviewer: their screening predates the
 * invoice (locked, so a decision taken meanwhile is seen before re-screening).
 */
export async function openCitingDeclarations(
  m: EntityManager,
  organization: string,
  number: string,
): Promise<{ id: string; organization: string; reference: string; body: never }[]> {
  return m.query(
    `SELECT id, organization, reference, body FROM declarations
     WHERE organization = $1 AND body -> 'invoiceNumbers' ? $2 AND status = 'under_review'
     ORDER BY id FOR UPDATE`,
    [organization, number],
  );
}
