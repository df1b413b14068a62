import { recordAudit } from '../audit/audit.service';
import { auditActor } from '../auth/actor';
import { type Actor } from '../http/actor';
import type { UnitOfWork } from '../db/unit-of-work';
import { NotFoundError } from '../http/errors';
import type { NoteView } from './cases.schemas';
import { caseDeclarationId } from './cases.repository';
import { insertNote } from './notes.repository';

/**
 * Internal notes on a case: the authority's working record, never shown to brokers (they cannot read cases, and no
 * declaration view or webhook carries notes). Any reviewer or supervisor may add one, whoever holds the case and
 * also after it closed; notes are never edited or deleted.
 */
export class NotesService {
  constructor(private readonly uow: UnitOfWork) {}

  async add(actor: Actor, caseId: string, text: string): Promise<NoteView> {
    return this.uow.run(async (m) => {
      // The case row is only read (a note does not serialise with decisions on the case).
      const declarationId = await caseDeclarationId(m, caseId);
      if (!declarationId) throw new NotFoundError('Case');
      const note = await insertNote(m, caseId, text, { keyId: actor.keyId, person: actor.person, role: actor.role });
      // The text goes into the event so the auditor's export holds the note itself, not only that one was written.
      await recordAudit(m, auditActor(actor), {
        action: 'case.note_added',
        subjectType: 'case',
        subjectId: caseId,
        data: { noteId: note.id, declarationId, text },
      });
      return note;
    });
  }
}
