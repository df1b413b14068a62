import { z } from 'zod';
import '../http/openapi';
import { paginationQuery } from '../http/pagination';
import { countryCode, DECLARATION_IDENTIFIER_TYPES, hsCodeSchema } from '../screening/declaration-input';
import { validateIdentifier } from '../identifiers/validate';

/** Lines an invoice may carry: as many as a declaration. */
export const MAX_INVOICE_LINES = 999;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const currency = z
  .string()
  .length(3)
  .transform((c) => c.toUpperCase())
  .refine((c) => CURRENCIES.has(c), { message: 'unknown currency: use an ISO 4217 code' });

/*
 * An ESF names seller and buyer by BIN (companies) or IIN (individuals); a number with a wrong check digit is refused
 * here (400, nothing stored) rather than screened, because the invoice is the reference a declaration is checked
 * against and a typo in it would make every later comparison by identifier wrong.
 */
const invoiceIdentifier = z
  .object({
    type: z.enum(DECLARATION_IDENTIFIER_TYPES),
    value: z.string().trim().min(1).max(40),
  })
  .strict()
  .superRefine((ident, ctx) => {
    if (ident.type === 'OTHER') return;
    const check = validateIdentifier(ident.type, ident.value);
    if (!check.valid)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `not a valid ${ident.type}: ${check.reason}` });
  });

export const invoicePartySchema = z
  .object({
    name: z.string().trim().min(1).max(300),
    country: countryCode,
    address: z.string().trim().max(500).optional(),
    identifiers: z.array(invoiceIdentifier).max(10).optional(),
  })
  .strict()
  .openapi('InvoiceParty');

export const invoiceLineSchema = z
  .object({
    lineNo: z.number().int().min(1).max(9999),
    hsCode: hsCodeSchema,
    description: z.string().trim().min(1).max(1000),
    quantity: z.number().positive().finite(),
    unit: z.string().trim().min(1).max(20),
    value: z.number().positive().finite().describe('Line value in the invoice currency'),
    countryOfOrigin: countryCode,
  })
  .strict()
  .openapi('InvoiceLine');

export const invoiceSchema = z
  .object({
    number: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .describe('Unique per organisation; declarations cite it in invoiceNumbers'),
    date: z.iso.date(),
    seller: invoicePartySchema,
    buyer: invoicePartySchema,
    currency,
    lines: z.array(invoiceLineSchema).min(1).max(MAX_INVOICE_LINES),
  })
  .strict()
  .superRefine((inv, ctx) => {
    const seen = new Map<number, number>();
    inv.lines.forEach((line, i) => {
      const first = seen.get(line.lineNo);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'lineNo'],
          message: `line number ${line.lineNo} is used twice (also lines[${first}])`,
        });
      else seen.set(line.lineNo, i);
    });
  })
  .openapi('Invoice');

export type InvoiceInput = z.output<typeof invoiceSchema>;

export const invoiceView = z
  .object({
    id: z.string().uuid(),
    organization: z.string(),
    number: z.string(),
    date: z.string(),
    seller: invoicePartySchema,
    buyer: invoicePartySchema,
    currency: z.string(),
    lines: z.array(invoiceLineSchema),
    totalValue: z.number(),
    createdAt: z.string(),
  })
  .openapi('InvoiceView');

export const invoiceSummary = invoiceView
  .omit({ lines: true })
  .extend({ lineCount: z.number().int() })
  .openapi('InvoiceSummary');

export const invoiceList = z
  .object({ items: z.array(invoiceSummary), nextCursor: z.string().nullable() })
  .openapi('InvoiceList');

export const invoiceListQuery = paginationQuery.extend({
  number: z.string().trim().min(1).max(60).optional(),
  organization: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("Customs authority only: one organisation's invoices"),
});

export const invoiceIdParams = z.object({ id: z.string().uuid() });

export type InvoiceView = z.infer<typeof invoiceView>;
