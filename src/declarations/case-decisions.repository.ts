import type { EntityManager } from 'typeorm';
import type { Hit } from '../screening/hits';

/**
 * What case decisions (src/cases) read and write of declarations and screenings: the latest screening a decision
 * judges, and the declaration status a decision (or a broker's answer) moves.
 */

/** The declaration's latest screening (id and hits), or undefined when it has none. */
export async function latestScreeningHits(
  m: EntityManager,
  declarationId: string,
): Promise<{ id: string; hits: Hit[] } | undefined> {
  const [screening]: { id: string; hits: Hit[] }[] = await m.query(
    `SELECT s.id, s.hits FROM declarations d JOIN screenings s ON s.id = d.latest_screening_id WHERE d.id = $1`,
    [declarationId],
  );
  return screening;
}

export async function latestScreeningId(m: EntityManager, declarationId: string): Promise<string | null> {
  const [{ latest_screening_id: latest }]: { latest_screening_id: string | null }[] = await m.query(
    `SELECT latest_screening_id FROM declarations WHERE id = $1`,
    [declarationId],
  );
  return latest;
}

/** The declaration's status, its row locked for the rest of the transaction. */
export async function lockDeclarationStatus(m: EntityManager, declarationId: string): Promise<string> {
  const [d]: { status: string }[] = await m.query(`SELECT status FROM declarations WHERE id = $1 FOR UPDATE`, [
    declarationId,
  ]);
  return d.status;
}

export async function updateDeclarationStatus(m: EntityManager, declarationId: string, to: string): Promise<void> {
  await m.query(`UPDATE declarations SET status = $2, updated_at = now() WHERE id = $1`, [declarationId, to]);
}
