import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    instance: z.string().optional().describe('The request path (absent on internal errors)'),
    requestId: z.string().describe('The X-Request-Id of the request'),
    correlationId: z
      .string()
      .optional()
      .describe('On internal errors: the id to quote when reporting it (the request id)'),
  })
  .openapi('Problem');

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key',
  });
  return registry;
}

export function generateDocument(registry: OpenAPIRegistry): object {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Dual-use goods customs screening API',
      version: '1.0.0',
      description:
        'Screens customs declarations for dual-use goods and restricted parties. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: '/' }],
  });
}
