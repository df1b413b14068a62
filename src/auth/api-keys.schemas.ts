import { z } from 'zod';
import { PERSONAL_ROLES } from './api-key.entity';
import { ROLES } from '../http/actor';
import '../http/openapi';

export const organizationSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N} ._-]+$/u, 'letters, digits, space, dot, underscore and dash only');

/** A stable id of a person (an e-mail, an employee number): keys of one person share it, whatever their role. */
export const personSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{N}@._+-]+$/u, 'letters, digits and @ . _ + - only (an e-mail or an employee id)');

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    organization: organizationSchema,
    person: personSchema
      .optional()
      .describe('Who holds the key (a stable id such as an e-mail); required for reviewer, supervisor and admin keys'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('After this instant the key answers 401'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.person && PERSONAL_ROLES.includes(b.role)) {
      ctx.addIssue({
        code: 'custom',
        path: ['person'],
        message: `required for ${b.role} keys: four-eyes compares persons, not keys`,
      });
    }
    if (b.expiresAt && Date.parse(b.expiresAt) <= Date.now())
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
  })
  .openapi('CreateApiKey');
export type CreateApiKeyInput = z.output<typeof createApiKeyBody>;

export const apiKeyView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    role: z.enum(ROLES),
    organization: z.string(),
    person: z.string().nullable(),
    secretPrefix: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('Coarse: written at most once every API_KEY_LAST_USED_MINUTES per key'),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');
export type ApiKeyView = z.output<typeof apiKeyView>;

export const createdApiKey = apiKeyView
  .extend({ secret: z.string().describe('Shown once; store it now.') })
  .openapi('CreatedApiKey');

export const apiKeyList = z
  .object({ items: z.array(apiKeyView), nextCursor: z.string().nullable() })
  .openapi('ApiKeyList');

export const idParams = z.object({ id: z.string().uuid() });

export const whoAmI = z
  .object({
    keyId: z.string().uuid(),
    name: z.string(),
    role: z.enum(ROLES),
    organization: z.string(),
    person: z.string().nullable(),
  })
  .openapi('WhoAmI', { description: 'The calling API key (never its secret): what the web console shows and allows' });

export type WhoAmI = z.infer<typeof whoAmI>;
