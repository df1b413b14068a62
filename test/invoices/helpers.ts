import { randomUUID } from 'node:crypto';
import { declaration } from '../support/factories';
import { bearer, type TestService } from '../support/test-service';

/** The consignor's BIN (a valid check digit); the invoice's seller carries the same. */
export const CONSIGNOR_BIN = '940140000385';

/** An export from Kazakhstan to Kyrgyzstan under one invoice: desks made in Turkey, laptops made in China. */
export function invoiceBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    number: `ESF-${randomUUID().slice(0, 8)}`,
    date: '2026-11-20',
    seller: { name: 'TOO Astana Trade', country: 'KZ', identifiers: [{ type: 'BIN', value: CONSIGNOR_BIN }] },
    buyer: { name: 'Bishkek Retail LLC', country: 'KG' },
    currency: 'USD',
    lines: [
      {
        lineNo: 1,
        hsCode: '9403.60',
        description: 'Wooden office desks',
        quantity: 40,
        unit: 'pcs',
        value: 18000,
        countryOfOrigin: 'TR',
      },
      {
        lineNo: 2,
        hsCode: '8471.30',
        description: 'Laptops',
        quantity: 10,
        unit: 'pcs',
        value: 9000,
        countryOfOrigin: 'CN',
      },
    ],
    ...overrides,
  };
}

/** A declaration of the goods of invoiceBody() that cites the given invoice numbers. */
export function citingDeclaration(
  invoiceNumbers: string[],
  overrides: Record<string, unknown> = {},
): Record<string, any> {
  return declaration({
    procedure: 'export',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'KG',
    consignor: { name: 'Astana Trade LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: CONSIGNOR_BIN }] },
    consignee: { name: 'Bishkek Retail LLC', country: 'KG' },
    items: [
      {
        lineNo: 1,
        hsCode: '9403.60.100.0',
        description: 'Wooden office desks',
        countryOfOrigin: 'TR',
        quantity: 40,
        unit: 'pcs',
        value: { amount: 18000, currency: 'USD' },
      },
      {
        lineNo: 2,
        hsCode: '8471.30',
        description: 'Laptops',
        countryOfOrigin: 'CN',
        quantity: 10,
        unit: 'pcs',
        value: { amount: 9000, currency: 'USD' },
      },
    ],
    invoiceNumbers,
    ...overrides,
  });
}

export function postInvoice(t: TestService, key: string, body: unknown) {
  return t.http
    .post('/v1/invoices')
    .set(...bearer(key))
    .send(body as object);
}

/** [subject, rule] of every invoice reconciliation hit of a screening, in order. */
export function invoiceFindings(screening: {
  hits: { subject: string; evidence?: { rule?: string } }[];
}): [string, string][] {
  return screening.hits
    .filter((h) => h.evidence?.rule?.startsWith('invoice-'))
    .map((h) => [h.subject, h.evidence!.rule!]);
}
