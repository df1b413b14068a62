import { z } from 'zod';
import '../http/openapi';
import { paginationQuery } from '../http/pagination';
import { countryCode, identifierSchema, moneySchema } from '../screening/declaration-input';
import { normalizeHsCode } from '../screening/hs-code';

/** An HS prefix as the registry stores it: 2 to 10 digits (dots, spaces and dashes are dropped). */
const hsPrefix = z
  .string()
  .max(20)
  .transform((raw, ctx) => {
    const r = normalizeHsCode(raw);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: `not an HS prefix: ${r.message}` });
      return z.NEVER;
    }
    return r.code;
  });

const isoDate = z.iso.date().describe('YYYY-MM-DD');

export const licenceStatus = z.enum(['active', 'not_yet_valid', 'expired', 'revoked']);

export const licenceLimitSchema = z
  .union([
    z.object({ quantity: z.number().positive().finite(), unit: z.string().trim().min(1).max(20) }).strict(),
    z
      .object({
        value: moneySchema,
      })
      .strict(),
  ])
  .describe(
    "A quantity in a unit (compared with the lines' quantity and unit) or a value in a currency (compared with the lines' value); absent: unlimited",
  );

export const licenceCreateSchema = z
  .object({
    number: z.string().trim().min(1).max(60),
    holder: z
      .object({
        name: z.string().trim().min(1).max(300),
        country: countryCode,
        identifiers: z.array(identifierSchema).max(10).optional(),
      })
      .strict(),
    hsPrefixes: z.array(hsPrefix).min(1).max(100),
    destinationCountries: z.array(countryCode).min(1).max(250),
    validFrom: isoDate,
    validTo: isoDate,
    limit: licenceLimitSchema.optional(),
    notes: z.string().trim().max(2000).optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.validTo < l.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo is before validFrom' });
  })
  .openapi('LicenceInput');
export type LicenceCreate = z.output<typeof licenceCreateSchema>;

export const licenceRevokeSchema = z
  .object({ reason: z.string().trim().min(1).max(2000) })
  .strict()
  .openapi('LicenceRevocation');

export const licenceQuery = paginationQuery.extend({
  number: z.string().trim().max(60).optional().describe('Exact number (case-insensitive)'),
  status: licenceStatus.optional().describe('Status today: active, not_yet_valid, expired or revoked'),
});
export type LicenceQuery = z.output<typeof licenceQuery>;

export const licenceParams = z.object({ id: z.string().uuid() });

export const licenceBalanceSchema = z
  .object({
    measure: z.string().describe("The limit's unit or currency"),
    limit: z.number(),
    used: z.number(),
    remaining: z.number().describe('Never below 0; see overdrawn'),
    overdrawn: z.boolean().describe('Releases drew more than the limit (a release competing for the last balance)'),
  })
  .openapi('LicenceBalance');

export const licenceDrawdownSchema = z
  .object({
    declarationId: z.string().uuid(),
    lineNo: z.number().int(),
    quantity: z.number().nullable(),
    unit: z.string().nullable(),
    value: z.object({ amount: z.number(), currency: z.string() }),
    amount: z.number().nullable().describe("What the line drew, in the limit's measure (null: unlimited licence)"),
    exceeded: z.boolean().describe('The draw went past the remaining balance'),
    trigger: z.enum(['decision', 'clearance']),
    createdAt: z.string(),
  })
  .openapi('LicenceDrawdown');

export const licenceView = z
  .object({
    id: z.string().uuid(),
    number: z.string(),
    holder: z.object({
      name: z.string(),
      country: z.string(),
      identifiers: z.array(z.object({ type: z.string(), value: z.string() })).optional(),
    }),
    hsPrefixes: z.array(z.string()),
    destinationCountries: z.array(z.string()),
    validFrom: z.string(),
    validTo: z.string(),
    limit: z
      .union([
        z.object({ quantity: z.number(), unit: z.string() }),
        z.object({ value: z.object({ amount: z.number(), currency: z.string() }) }),
      ])
      .nullable(),
    notes: z.string().nullable(),
    status: licenceStatus,
    balance: licenceBalanceSchema.nullable().describe('null: unlimited'),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
  })
  .openapi('Licence');

export const licenceDetail = licenceView.extend({ drawdowns: z.array(licenceDrawdownSchema) }).openapi('LicenceDetail');
export const licenceList = z
  .object({ items: z.array(licenceView), nextCursor: z.string().nullable() })
  .openapi('LicenceList');

export type LicenceView = z.infer<typeof licenceView>;
