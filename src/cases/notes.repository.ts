import type { EntityManager } from 'typeorm';
import type { NoteView } from './cases.schemas';

/** The case_notes table (append-only: the database refuses UPDATE and DELETE). */

interface NoteRow {
  id: string;
  text: string;
  author_key_id: string;
  author_person: string | null;
  author_role: string;
  created_at: Date;
}

function noteView(r: NoteRow): NoteView {
  return {
    id: r.id,
    text: r.text,
    author: { keyId: r.author_key_id, person: r.author_person, role: r.author_role },
    createdAt: r.created_at.toISOString(),
  };
}

export async function insertNote(
  m: EntityManager,
  caseId: string,
  text: string,
  author: { keyId: string; person: string | null; role: string },
): Promise<NoteView> {
  const [row]: NoteRow[] = await m.query(
    `INSERT INTO case_notes (case_id, text, author_key_id, author_person, author_role) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, text, author_key_id, author_person, author_role, created_at`,
    [caseId, text, author.keyId, author.person, author.role],
  );
  return noteView(row);
}

/** A case's notes, newest first. */
export async function caseNotes(m: EntityManager, caseId: string): Promise<NoteView[]> {
  const rows: NoteRow[] = await m.query(
    `SELECT id, text, author_key_id, author_person, author_role, created_at FROM case_notes WHERE case_id = $1 ORDER BY created_at DESC, id DESC`,
    [caseId],
  );
  return rows.map(noteView);
}
