import { z } from 'zod';
import { ROLES } from './api-key.entity';
import '../http/openapi';

export const organizationSchema = z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N} ._-]+$/u, 'letters, digits, space, dot, underscore and dash only');

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  organization: organizationSchema,
}).strict().openapi('CreateApiKey');

export const apiKeyView = z.object({
  id: z.string().uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  organization: z.string(),
  secretPrefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
}).openapi('ApiKey');

export const createdApiKey = apiKeyView.extend({ secret: z.string().describe('Shown once; store it now.') }).openapi('CreatedApiKey');

export const apiKeyList = z.object({ items: z.array(apiKeyView), nextCursor: z.string().nullable() }).openapi('ApiKeyList');

export const idParams = z.object({ id: z.string().uuid() });

export const whoAmI = z.object({
  keyId: z.string().uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  organization: z.string(),
}).openapi('WhoAmI', { description: 'The calling API key (never its secret): what the web console shows and allows' });
