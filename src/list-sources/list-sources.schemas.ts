import { z } from 'zod';
import '../http/openapi';
import { formatSchema } from '../lists/lists.schemas';

/** Any http(s) URL: admins may point a source at a private mirror or a loopback address on purpose. */
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

export const partName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'a part name such as file, sdn, alt, add or comments');

export const sourceBody = z
  .object({
    format: formatSchema,
    url: httpUrl.optional().describe('The file, for every format but ofac-sdn-csv'),
    urls: z
      .record(partName, httpUrl)
      .optional()
      .describe('One URL per part: ofac-sdn-csv takes sdn (required), alt, add and comments'),
    kind: z
      .enum(['goods', 'entities'])
      .optional()
      .describe('Needed only when the list is new and the format does not imply it'),
    name: z.string().trim().min(1).max(200).optional().describe('Name of the list, when it is new'),
    refreshMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60)
      .describe('Minutes between checks (conditional GET)'),
    enabled: z.boolean().default(true).describe('A disabled source is kept but not fetched on schedule'),
  })
  .strict()
  .refine((b) => (b.url === undefined) !== (b.urls === undefined), {
    message: 'give either url or urls',
    path: ['url'],
  })
  .openapi('ListSourceInput');

export type SourceBody = z.output<typeof sourceBody>;

export const SOURCE_STATUSES = ['never', 'ok', 'stale', 'failed'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export const sourceView = z
  .object({
    listId: z.string(),
    format: z.string(),
    url: z.string().optional().describe('Present when the source is one file'),
    urls: z.record(z.string(), z.string()).describe('Part name -> URL (one file: {file: url})'),
    refreshMinutes: z.number().int(),
    enabled: z.boolean(),
    origin: z.enum(['admin', 'shipped']).describe('shipped: one of the default official sources (LIST_SOURCES)'),
    status: z
      .enum(SOURCE_STATUSES)
      .describe(
        'never: not fetched yet; ok: last check reached the publisher; stale: the publisher could not be reached (the active version stays); ' +
          'failed: the last fetched file did not import (the active version stays)',
      ),
    lastCheckedAt: z.string().nullable(),
    lastChangedAt: z.string().nullable().describe('When a fetch last brought new content (a new version)'),
    lastError: z.string().optional(),
    lastOutcome: z
      .enum(['not_modified', 'unchanged', 'changed', 'error'])
      .nullable()
      .describe(
        'not_modified: 304; unchanged: same bytes as a stored version (sha256); changed: a new version; error: unreachable',
      ),
    lastVersionId: z.string().nullable().describe('The version the last changed fetch created'),
    lastVersionStatus: z.string().nullable(),
    nextCheckAt: z.string(),
  })
  .openapi('ListSource');

export type SourceView = z.infer<typeof sourceView>;
