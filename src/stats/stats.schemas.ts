import { z } from 'zod';
import '../http/openapi';

/** Statistics count whole UTC days: a datetime is taken as the day it falls on. */
const day = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}($|T)/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'use a date (YYYY-MM-DD) or an ISO datetime',
  })
  .transform((v) => new Date(Date.parse(v)).toISOString().slice(0, 10));

/** A longer range would only be a slow way to ask for the same picture; three years covers every report we know. */
export const MAX_RANGE_DAYS = 1096;

const rangeFields = {
  from: day.optional().describe('First day counted (UTC, inclusive); default: 29 days before `to`'),
  to: day.optional().describe('Last day counted (UTC, inclusive); default: today'),
  organization: z.string().trim().min(1).max(200).optional().describe('Only this broker organisation'),
};

export const rangeQuery = z.object(rangeFields);
export const outcomesQuery = z.object({ ...rangeFields, interval: z.enum(['day', 'week']).default('day') });
export const HIT_DIMENSIONS = ['list', 'entry', 'hsChapter', 'originCountry', 'destinationCountry'] as const;
export type HitDimension = (typeof HIT_DIMENSIONS)[number];
export const hitsQuery = z.object({
  ...rangeFields,
  by: z
    .enum(HIT_DIMENSIONS)
    .default('entry')
    .describe(
      'list, entry: hits naming a list entry (goods and parties); hsChapter, originCountry, destinationCountry: declaration lines with a goods hit',
    ),
  limit: z.coerce.number().int().min(1).max(500).default(20),
});

export type RangeQuery = z.output<typeof rangeQuery>;
export type OutcomesQuery = z.output<typeof outcomesQuery>;
export type HitsQuery = z.output<typeof hitsQuery>;

export const outcomesResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(['day', 'week']),
    series: z.array(
      z.object({
        period: z.string().describe('First day of the period (weeks start on Monday)'),
        clear: z.number().int(),
        review: z.number().int(),
        block: z.number().int(),
      }),
    ),
  })
  .openapi('StatsOutcomes');

export const hitsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(HIT_DIMENSIONS),
    items: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        count: z.number().int(),
        falsePositives: z
          .number()
          .int()
          .optional()
          .describe('by=entry: false-positive marks made on this entry in the range'),
        falsePositiveRate: z.number().nullable().optional().describe('by=entry: falsePositives / count'),
      }),
    ),
  })
  .openapi('StatsHits');

export const casesResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    open: z.number().int().describe('Cases not closed now'),
    overdue: z.number().int().describe('Open cases past their SLA deadline now'),
    ageBuckets: z.array(z.object({ bucket: z.string(), count: z.number().int() })).describe('Open cases by age now'),
    decisionMinutes: z
      .object({ p50: z.number().nullable(), p90: z.number().nullable() })
      .describe('Minutes from opening to closing, for cases closed in the range'),
    byPerson: z
      .array(
        z.object({
          person: z.string(),
          keyIds: z.array(z.string()).describe('The API keys this person decided with'),
          decisions: z.number().int(),
        }),
      )
      .describe('Decisions made in the range, by the person (API key) who made them'),
  })
  .openapi('StatsCases');

export const reexportResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        originCountry: z.string(),
        destinationCountry: z.string(),
        lines: z.number().int(),
        value: z.number().describe("Sum of the lines' declared value, in `currency`"),
        currency: z.string(),
      }),
    ),
  })
  .openapi('StatsReexport');

export const listAgesResponse = z
  .object({
    items: z.array(
      z.object({
        listId: z.string(),
        name: z.string(),
        kind: z.string(),
        versionId: z.string(),
        activatedAt: z.string().nullable(),
        ageHours: z.number().nullable(),
      }),
    ),
  })
  .openapi('StatsListAges');

export type OutcomesResponse = z.output<typeof outcomesResponse>;
export type HitsResponse = z.output<typeof hitsResponse>;
export type CasesResponse = z.output<typeof casesResponse>;
export type ReexportResponse = z.output<typeof reexportResponse>;
export type ListAgesResponse = z.output<typeof listAgesResponse>;
