import { compareInvoices, type Invoice } from './invoices-model';
import { subjectLabel } from './tokens';
import type { DeclarationBody, Hit } from './types';

const body: DeclarationBody & { invoiceNumbers: string[] } = {
  reference: 'R-1',
  procedure: 'export',
  countryOfDispatch: 'KZ',
  countryOfDestination: 'KG',
  consignor: { name: 'Astana Trade LLP', country: 'KZ' },
  items: [
    {
      lineNo: 1,
      hsCode: '9403.60',
      description: 'Desks',
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
    {
      lineNo: 3,
      hsCode: '8504.40',
      description: 'Chargers',
      countryOfOrigin: 'CN',
      value: { amount: 100, currency: 'USD' },
    },
  ],
  invoiceNumbers: ['ESF-1', 'ESF-9'],
};

const invoice: Invoice = {
  id: 'i',
  organization: 'acme',
  number: 'ESF-1',
  date: '2026-11-20',
  currency: 'USD',
  totalValue: 27000,
  createdAt: '2026-11-20T10:00:00.000Z',
  seller: { name: 'Other LLP', country: 'KZ' },
  buyer: { name: 'Bishkek Retail', country: 'KG' },
  lines: [
    {
      lineNo: 1,
      hsCode: '847130',
      description: 'Laptops',
      quantity: 10,
      unit: 'pcs',
      value: 9000,
      countryOfOrigin: 'CN',
    },
    {
      lineNo: 2,
      hsCode: '940360',
      description: 'Desks',
      quantity: 40,
      unit: 'pcs',
      value: 18000,
      countryOfOrigin: 'DE',
    },
  ],
};

const hit = (subject: string, evidence: Record<string, unknown>): Hit => ({
  id: subject + String(evidence.rule),
  kind: 'indicator',
  severity: 'high',
  score: 1,
  subject,
  explanation: String(evidence.rule),
  evidence,
});

describe('invoice panel model', () => {
  it('places each finding beside its line and column, pairs the rest like the server, and lists missing invoices', () => {
    const hits = [
      hit('items[0]', { rule: 'invoice-origin-differs', invoiceNumber: 'ESF-1', invoiceLineNo: 2 }),
      hit('items[2]', { rule: 'invoice-line-missing' }),
      hit('consignor', { rule: 'invoice-seller-not-consignor', invoiceNumber: 'ESF-1' }),
      hit('invoiceNumbers[1]', { rule: 'invoice-missing', invoiceNumber: 'ESF-9' }),
      {
        ...hit('items[1]', { rule: 'invoice-value-differs', invoiceNumber: 'ESF-1', invoiceLineNo: 1 }),
        suppressed: true,
      },
    ];
    const cmp = compareInvoices(body, [invoice], hits);
    expect(cmp.missing).toEqual(['ESF-9']);
    expect(cmp.invoices.map((i) => [i.invoice.number, i.sellerFinding?.evidence?.rule])).toEqual([
      ['ESF-1', 'invoice-seller-not-consignor'],
    ]);
    expect(cmp.lines.map((c) => [c.item.lineNo, c.line?.lineNo, [...c.mismatched], c.missing])).toEqual([
      [1, 2, ['origin'], false],
      [2, 1, [], false],
      [3, undefined, [], true],
    ]);
  });

  it('names a cited invoice by its place in the declaration', () => {
    expect(subjectLabel('invoiceNumbers[1]')).toBe('cited invoice 2');
  });
});
