/**
 * The declaration as a broker submits it: the request-side schemas and their parsed types. Screening reads these; the
 * declarations feature validates requests with them (src/declarations/declarations.schemas.ts re-exports them).
 */
import { z } from 'zod';
import '../http/openapi';
import { isCountryCode } from '../identifiers/countries';
import { normalizeHsCode } from './hs-code';

export const PARTY_ROLES = ['declarant', 'consignor', 'consignee', 'notifyParty', 'endUser', 'carrier'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const DECLARATION_IDENTIFIER_TYPES = ['BIN', 'IIN', 'INN', 'OGRN', 'EORI', 'IMO', 'OTHER'] as const;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const countryCode = z
  .string()
  .length(2)
  .transform((c) => c.toUpperCase())
  .refine(isCountryCode, { message: 'unknown country: use an ISO 3166-1 alpha-2 code' });

/** An amount in an ISO 4217 currency (a line's value, a licence's value limit). */
export const moneySchema = z
  .object({
    amount: z.number().positive().finite(),
    currency: z
      .string()
      .length(3)
      .transform((c) => c.toUpperCase())
      .refine((c) => CURRENCIES.has(c), { message: 'unknown currency: use an ISO 4217 code' }),
  })
  .strict();

export const identifierSchema = z
  .object({
    type: z.enum(DECLARATION_IDENTIFIER_TYPES),
    value: z.string().trim().min(1).max(40),
  })
  .strict();

export const partySchema = z
  .object({
    name: z.string().trim().min(1).max(300),
    country: countryCode,
    address: z.string().trim().max(500).optional(),
    identifiers: z.array(identifierSchema).max(10).optional(),
  })
  .strict()
  .openapi('Party');

export const hsCodeSchema = z
  .string()
  .max(20)
  .superRefine((raw, ctx) => {
    const r = normalizeHsCode(raw);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  });

export const itemSchema = z
  .object({
    lineNo: z.number().int().min(1).max(9999),
    hsCode: hsCodeSchema,
    description: z.string().trim().min(1).max(1000),
    countryOfOrigin: countryCode,
    quantity: z.number().positive().finite().optional(),
    unit: z.string().trim().min(1).max(20).optional(),
    netMassKg: z.number().positive().finite().optional(),
    value: moneySchema,
    manufacturer: partySchema.optional(),
    licenceNumber: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .optional()
      .describe('A licence or permit of the registry (/v1/licences) that covers this line'),
  })
  .strict()
  .openapi('DeclarationItem');

export const declarationSchema = z
  .object({
    reference: z.string().trim().min(1).max(100),
    procedure: z.enum(['import', 'export', 'transit']),
    declarant: partySchema,
    consignor: partySchema,
    consignee: partySchema,
    notifyParty: partySchema.optional(),
    endUser: partySchema.optional(),
    carrier: partySchema.optional(),
    countryOfDispatch: countryCode,
    countryOfDestination: countryCode,
    transitCountries: z.array(countryCode).max(20).optional(),
    items: z.array(itemSchema).min(1).max(999),
    invoiceNumbers: z
      .array(z.string().trim().min(1).max(60))
      .max(20)
      .optional()
      .describe(
        'Electronic invoices (POST /v1/invoices) of your organisation the goods are sold under: screening reconciles the lines with them',
      ),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Map<number, number>();
    d.items.forEach((item, i) => {
      const first = seen.get(item.lineNo);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'lineNo'],
          message: `line number ${item.lineNo} is used twice (also items[${first}])`,
        });
      else seen.set(item.lineNo, i);
    });
    checkInvoiceNumbersUnique(d.invoiceNumbers, ctx);
  })
  .openapi('Declaration');

/** A cited invoice number twice is a mistake in the declaration, not two invoices. */
function checkInvoiceNumbersUnique(numbers: string[] | undefined, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  (numbers ?? []).forEach((n, i) => {
    const at = first.get(n);
    if (at !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['invoiceNumbers', i],
        message: `invoice number "${n}" is cited twice (also invoiceNumbers[${at}])`,
      });
    else first.set(n, i);
  });
}

export type DeclarationInput = z.output<typeof declarationSchema>;
export type PartyInput = z.output<typeof partySchema>;
export type Identifier = z.infer<typeof identifierSchema>;
export type DeclarationItem = z.infer<typeof itemSchema>;
