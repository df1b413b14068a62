import { z } from 'zod';
import { auditActorSchema } from '../audit/audit.schemas';
import '../http/openapi';
import { FORMATS } from './importers';
import { paginationQuery } from '../http/pagination';

export const listIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'lower-case letters, digits, - and _, 2-63 characters');
export const formatSchema = z.enum(Object.keys(FORMATS) as [keyof typeof FORMATS, ...(keyof typeof FORMATS)[]]);

export const listParams = z.object({ listId: listIdSchema });
export const versionParams = z.object({ listId: listIdSchema, versionId: z.string().uuid() });

export const uploadFields = z
  .object({
    format: formatSchema,
    kind: z.enum(['goods', 'entities']).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const uploadBody = z
  .object({
    format: formatSchema,
    kind: z
      .enum(['goods', 'entities'])
      .optional()
      .describe('Needed only when the list is new and the format does not imply it'),
    name: z.string().optional(),
    file: z.string().describe('The file (every format but ofac-sdn-csv)').optional(),
    sdn: z.string().describe('ofac-sdn-csv: sdn.csv').optional(),
    alt: z.string().describe('ofac-sdn-csv: alt.csv').optional(),
    add: z.string().describe('ofac-sdn-csv: add.csv').optional(),
    comments: z.string().describe('ofac-sdn-csv: sdn_comments.csv').optional(),
  })
  .openapi('ListUpload');

/** Delta re-screening runs (src/rescreen), one per activated list version: progress readable with the version. */
export const rescreenView = z
  .object({
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    deltaEntries: z
      .number()
      .int()
      .nullable()
      .describe('Entries added or changed since the previous active version (goods: prefixes)'),
    candidates: z.number().int().nullable().describe('Open, held and recently cleared declarations checked'),
    processed: z.number().int(),
    flagged: z
      .number()
      .int()
      .describe('Declarations re-screened in full: a new hit, or an open case hitting an entry removed or changed'),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('RescreenRun');
export type RescreenView = z.output<typeof rescreenView>;

export const versionView = z
  .object({
    id: z.string().uuid(),
    listId: z.string(),
    status: z
      .enum(['importing', 'held', 'active', 'failed', 'superseded'])
      .describe('held: kept from activation by the shrink guard (the reason is in error) until an admin activates it'),
    format: z.string(),
    sha256: z.string(),
    entryCount: z.number().int().nullable(),
    duplicateCount: z.number().int(),
    error: z.string().nullable(),
    source: z.string(),
    importedBy: auditActorSchema,
    createdAt: z.string(),
    activatedAt: z.string().nullable(),
    supersededAt: z.string().nullable(),
    rescreen: rescreenView
      .nullable()
      .optional()
      .describe('The delta re-screening its activation started (GET of one version)'),
  })
  .openapi('ListVersion');

export const versionsPage = z
  .object({
    items: z.array(versionView),
    nextCursor: z.string().nullable(),
  })
  .openapi('ListVersionPage');

export const diffQuery = paginationQuery.extend({
  against: z
    .string()
    .uuid()
    .optional()
    .describe(
      'The version to compare with; default the version this one replaced when activated (for a held version, the active one)',
    ),
});

export const versionDiff = z
  .object({
    versionId: z.string().uuid(),
    against: z
      .string()
      .uuid()
      .nullable()
      .describe('The version compared with; null when there is none (everything is added)'),
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    items: z.array(
      z.object({
        change: z.enum(['added', 'removed', 'changed']),
        entryId: z.string().describe("The source's own id (goods lists: the HS prefix)"),
        name: z.string().describe('Primary name (goods lists: the label); for a removed entry, as it was'),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('ListVersionDiff');

export const listView = z
  .object({
    id: z.string(),
    kind: z.enum(['goods', 'entities']),
    name: z.string(),
    activeVersion: versionView.nullable(),
  })
  .openapi('List');

export const goodsParams = z.object({ code: z.string().max(40) });

export const goodsResult = z
  .object({
    code: z.string(),
    known: z.boolean().describe('Whether the HS-6 subheading (or heading/chapter for shorter codes) exists in HS2022'),
    description: z.string().nullable(),
    entries: z.array(
      z.object({
        listId: z.string(),
        versionId: z.string(),
        prefix: z.string(),
        severity: z.enum(['high', 'medium', 'low']),
        label: z.string(),
        source: z.string().nullable(),
      }),
    ),
  })
  .openapi('GoodsLookup');

export type ListVersionView = z.infer<typeof versionView>;
export type ListView = z.infer<typeof listView>;
