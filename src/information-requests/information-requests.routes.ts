import { z } from 'zod';
import { route, type RouteDef } from '../http/route';
import { responseBody } from './information-requests.schemas';
import { responseView } from '../declarations/declarations.schemas';
import type { InformationRequestsService } from './information-requests.service';

const declarationParams = z.object({ id: z.string().uuid() });

export function informationRequestsRoutes(requests: InformationRequestsService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/declarations/{id}/responses',
      tag: 'Declarations',
      roles: ['broker'],
      params: declarationParams,
      body: responseBody,
      summary:
        'Answer the open request for information on a declaration (owner broker): a message and documents of this declaration; the case goes back to the queue',
      responses: {
        201: { description: 'The answer as recorded', schema: responseView },
        400: {
          description:
            'validation_failed: e.g. a documentIds entry that is not a document of this declaration (nothing is written)',
        },
        404: { description: "No such declaration in the caller's organisation" },
        409: { description: 'no_open_information_request: nothing is asked, or the request was already answered' },
      },
      handler: async ({ actor, params, body }) => ({
        status: 201,
        body: responseView.parse(await requests.respond(actor, params.id, body)),
      }),
    }),
  ];
}
