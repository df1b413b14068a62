import { route, type RouteDef } from '../http/route';
import { caseParams, noteBody, noteView } from './cases.schemas';
import type { NotesService } from './notes.service';

export function notesRoutes(notes: NotesService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/cases/{id}/notes',
      tag: 'Review',
      roles: ['reviewer', 'supervisor'],
      params: caseParams,
      body: noteBody,
      summary:
        'Add an internal note to a case (append-only, audited with its text); notes show in GET /v1/cases/{id}, never to brokers',
      responses: { 201: { description: 'The note', schema: noteView } },
      handler: async ({ actor, params, body }) => {
        const note = noteView.parse(await notes.add(actor, params.id, body.text));
        return { status: 201, body: note };
      },
    }),
  ];
}
