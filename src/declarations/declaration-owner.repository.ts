import type { EntityManager } from 'typeorm';

/**
 * Who owns a declaration, for features that act on one from outside src/declarations (documents, a broker's answer
 * to a request for information).
 */

/**
 * The organisation a declaration belongs to, or undefined when there is none: who may attach to and read its
 * documents, or answer its requests. (Declarations refuse deletes, so the answer holds for the write that follows.)
 */
export async function declarationOrganization(m: EntityManager, declarationId: string): Promise<string | undefined> {
  const [row]: { organization: string }[] = await m.query(`SELECT organization FROM declarations WHERE id = $1`, [
    declarationId,
  ]);
  return row?.organization;
}

/** The declaration's organisation and status (a broker's answer reads them under the lock of the case). */
export async function declarationOwnerAndStatus(
  m: EntityManager,
  declarationId: string,
): Promise<{ organization: string; status: string } | undefined> {
  const [d]: { organization: string; status: string }[] = await m.query(
    `SELECT organization, status FROM declarations WHERE id = $1`,
    [declarationId],
  );
  return d;
}
