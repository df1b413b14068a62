import { z } from 'zod';
import '../http/openapi';
import { informationMessage } from '../cases/case-information.schemas';

export const responseBody = z
  .object({
    message: informationMessage,
    documentIds: z
      .array(z.string().uuid())
      .max(20)
      .optional()
      .describe('Documents of this declaration (uploaded with POST /v1/declarations/{id}/documents) the answer cites'),
  })
  .strict()
  .superRefine((b, ctx) => {
    const ids = b.documentIds ?? [];
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['documentIds', i], message: 'named twice' });
    });
  })
  .openapi('InformationResponseRequest');
export type ResponseBody = z.output<typeof responseBody>;
