import type { DataSource, EntityManager } from 'typeorm';
import type { DeclarationInput } from '../screening/declaration-input';

/**
 * Declaration reads of the delta re-screening (src/rescreen): the table belongs here, the re-screening calls these.
 */

/** A declaration as the re-screening checks it. */
export interface RescreenCandidate {
  id: string;
  organization: string;
  reference: string;
  status: string;
  body: DeclarationInput;
}

/**
 * Catch-up of a run: up to `limit` declarations after `after`, in one of `statuses` and written since shortly before
 * the activation at `activatedAt`, whose latest screening recorded an older version of the list (or none), and that
 * the run has not recorded yet.
 */
export async function catchUpCandidates(
  dataSource: DataSource,
  run: { versionId: string; listId: string; activatedAt: Date },
  statuses: string[],
  after: string,
  limit: number,
): Promise<RescreenCandidate[]> {
  return dataSource.query(
    `SELECT d.id, d.organization, d.reference, d.status, d.body FROM declarations d JOIN screenings s ON s.id = d.latest_screening_id
     WHERE d.status = ANY($4::text[]) AND d.updated_at >= $3::timestamptz - interval '1 minute' AND d.id > $5::uuid
       AND (s.list_versions->>$2) IS DISTINCT FROM $1::uuid::text
       AND NOT EXISTS (SELECT 1 FROM list_versions n WHERE n.list_id = $2 AND n.id::text = s.list_versions->>$2 AND n.activated_at > $3::timestamptz)
       AND NOT EXISTS (SELECT 1 FROM rescreen_flags f WHERE f.version_id = $1::uuid AND f.declaration_id = d.id)
     ORDER BY d.id LIMIT $6`,
    [run.versionId, run.listId, run.activatedAt, statuses, after, limit],
  );
}

/** Locks the declaration's row (FOR UPDATE) and returns its status; undefined when it does not exist. */
export async function lockDeclarationStatus(
  m: EntityManager,
  declarationId: string,
): Promise<{ status: string } | undefined> {
  const [current]: { status: string }[] = await m.query(`SELECT status FROM declarations WHERE id = $1 FOR UPDATE`, [
    declarationId,
  ]);
  return current;
}

export async function readDeclarationForRescreen(
  dataSource: DataSource,
  declarationId: string,
): Promise<{ id: string; organization: string; reference: string; body: DeclarationInput }> {
  const [d]: { id: string; organization: string; reference: string; body: DeclarationInput }[] = await dataSource.query(
    `SELECT id, organization, reference, body FROM declarations WHERE id = $1`,
    [declarationId],
  );
  return d;
}
