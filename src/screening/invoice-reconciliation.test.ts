import type { DeclarationInput } from './declaration-input';
import type { CitedInvoice } from './dossier';
import { loadRuleset } from './ruleset';
import { pairLines, reconcileInvoices, sameHs6, sellerIsConsignor } from './invoice-reconciliation';

const ruleset = loadRuleset();

function declaration(overrides: Partial<DeclarationInput> = {}): DeclarationInput {
  return {
    reference: 'R-1',
    procedure: 'export',
    declarant: { name: 'Kedendik Broker LLP', country: 'KZ' },
    consignor: { name: 'Astana Trade LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '940140000385' }] },
    consignee: { name: 'Bishkek Retail', country: 'KG' },
    countryOfDispatch: 'KZ',
    countryOfDestination: 'KG',
    items: [
      {
        lineNo: 1,
        hsCode: '9403.60.100.0',
        description: 'Wooden desks',
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
    invoiceNumbers: ['ESF-1'],
    ...overrides,
  };
}

function invoice(overrides: Partial<CitedInvoice> = {}): CitedInvoice {
  return {
    id: 'inv-1',
    number: 'ESF-1',
    date: '2026-11-20',
    currency: 'USD',
    seller: { name: 'TOO Astana Trade', country: 'KZ', identifiers: [{ type: 'BIN', value: '940 140 000 385' }] },
    buyer: { name: 'Bishkek Retail', country: 'KG' },
    lines: [
      {
        lineNo: 1,
        hsCode: '940360',
        description: 'Wooden desks',
        quantity: 40,
        unit: 'PCS',
        value: 18000,
        countryOfOrigin: 'TR',
      },
      {
        lineNo: 2,
        hsCode: '847130',
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

const found = (...invoices: CitedInvoice[]) => new Map(invoices.map((i) => [i.number, i]));
const rules = (d: DeclarationInput, invoices: ReadonlyMap<string, CitedInvoice>) =>
  reconcileInvoices(d, invoices, ruleset).map((h) => [h.subject, h.evidence?.rule]);

describe('invoice reconciliation', () => {
  it('finds nothing when the invoice matches (HS at 6 digits, units case-insensitive, values within tolerance)', () => {
    expect(reconcileInvoices(declaration(), found(invoice()), ruleset)).toEqual([]);
    const within = invoice({
      lines: invoice().lines.map((l) => ({ ...l, quantity: l.quantity * 1.04, value: l.value * 0.96 })),
    });
    expect(reconcileInvoices(declaration(), found(within), ruleset)).toEqual([]);
  });

  it('raises nothing for a declaration that cites no invoice', () => {
    expect(reconcileInvoices(declaration({ invoiceNumbers: undefined }), found(), ruleset)).toEqual([]);
  });

  it('reports a cited number that is not on file, and checks the lines against the invoices that are', () => {
    expect(rules(declaration({ invoiceNumbers: ['ESF-9'] }), found(invoice()))).toEqual([
      ['invoiceNumbers[0]', 'invoice-missing'],
    ]);
    expect(rules(declaration({ invoiceNumbers: ['ESF-1', 'ESF-9'] }), found(invoice()))).toEqual([
      ['invoiceNumbers[1]', 'invoice-missing'],
    ]);
  });

  it('reports each kind of line mismatch with its weight and an explanation', () => {
    const lines = invoice().lines;
    const bad = invoice({
      lines: [
        { ...lines[0], countryOfOrigin: 'DE', quantity: 50 },
        { ...lines[1], hsCode: '8542.31', value: 12000 },
      ],
    });
    const hits = reconcileInvoices(declaration(), found(bad), ruleset);
    expect(hits.map((h) => [h.subject, h.evidence?.rule, h.weight])).toEqual([
      ['items[0]', 'invoice-origin-differs', ruleset.weights.invoiceOriginDiffers],
      ['items[0]', 'invoice-quantity-differs', ruleset.weights.invoiceQuantityDiffers],
      ['items[1]', 'invoice-hs-differs', ruleset.weights.invoiceHsDiffers],
      ['items[1]', 'invoice-value-differs', ruleset.weights.invoiceValueDiffers],
    ]);
    for (const h of hits)
      expect(h).toMatchObject({ kind: 'indicator', score: 1, evidence: { invoiceNumber: 'ESF-1' } });
    expect(hits[0].explanation).toBe('line 1: declared origin TR, but invoice ESF-1 line 1 says DE');
    expect(hits[1].explanation).toContain('differs by 20.0% from 50 PCS');
    expect(hits[3].evidence).toMatchObject({ declared: 9000, invoiced: 12000, currency: 'USD', tolerance: 0.05 });
  });

  it('does not compare values across currencies: the currency difference is its own finding', () => {
    const hits = rules(
      declaration(),
      found(invoice({ currency: 'EUR', lines: invoice().lines.map((l) => ({ ...l, value: l.value * 3 })) })),
    );
    expect(hits).toEqual([
      ['items[0]', 'invoice-currency-differs'],
      ['items[1]', 'invoice-currency-differs'],
    ]);
  });

  it('treats different units of measure as a quantity difference', () => {
    const kg = invoice({ lines: [{ ...invoice().lines[0], unit: 'kg' }, invoice().lines[1]] });
    expect(rules(declaration(), found(kg))).toEqual([['items[0]', 'invoice-quantity-differs']]);
  });

  it('reports a declared line with no invoice line, by line number or HS code', () => {
    const one = invoice({ lines: [invoice().lines[0]] });
    expect(rules(declaration(), found(one))).toEqual([['items[1]', 'invoice-line-missing']]);
  });

  it('pairs by line number and HS6 first, then HS6 alone (swapped lines), then line number alone', () => {
    const [desks, laptops] = invoice().lines;
    const swapped = invoice({
      lines: [
        { ...laptops, lineNo: 1 },
        { ...desks, lineNo: 2 },
      ],
    });
    expect(pairLines(declaration(), [swapped]).map((p) => p?.line.description)).toEqual(['Wooden desks', 'Laptops']);
    expect(reconcileInvoices(declaration(), found(swapped), ruleset)).toEqual([]);
    const other = invoice({ lines: [desks, { ...laptops, hsCode: '850440' }] });
    expect(pairLines(declaration(), [other]).map((p) => p?.line.hsCode)).toEqual(['940360', '850440']);
  });

  it('pairs lines across several cited invoices, each invoice line once', () => {
    const [desks, laptops] = invoice().lines;
    const a = invoice({ lines: [desks] });
    const b = invoice({ id: 'inv-2', number: 'ESF-2', lines: [{ ...laptops, lineNo: 1 }] });
    expect(reconcileInvoices(declaration({ invoiceNumbers: ['ESF-1', 'ESF-2'] }), found(a, b), ruleset)).toEqual([]);
  });

  it('compares seller and consignor by identifier when both have one, else by normalised name', () => {
    const consignor = declaration().consignor;
    expect(sellerIsConsignor(invoice().seller, consignor)).toEqual({ same: true, by: 'identifier' });
    expect(
      sellerIsConsignor({ ...invoice().seller, identifiers: [{ type: 'BIN', value: '171140900016' }] }, consignor),
    ).toEqual({ same: false, by: 'identifier' });
    expect(
      sellerIsConsignor(
        { name: 'ТОО «Сункар Логистик»', country: 'KZ' },
        { name: 'Sunkar Logistik LLP', country: 'KZ' },
      ),
    ).toEqual({ same: true, by: 'name' });
    expect(
      sellerIsConsignor({ name: 'Almaty Trade LLP', country: 'KZ' }, { name: 'Astana Trade LLP', country: 'KZ' }),
    ).toEqual({ same: false, by: 'name' });
    const other = invoice({ seller: { name: 'Shymkent Export LLP', country: 'KZ' } });
    const hits = reconcileInvoices(
      declaration({ consignor: { name: 'Astana Trade LLP', country: 'KZ' } }),
      found(other),
      ruleset,
    );
    expect(hits.map((h) => [h.subject, h.evidence?.rule, h.matched])).toEqual([
      ['consignor', 'invoice-seller-not-consignor', 'Shymkent Export LLP'],
    ]);
  });

  it('compares HS codes on the first six digits both codes have', () => {
    expect(sameHs6('8542.31.000.0', '854231')).toBe(true);
    expect(sameHs6('8542.31', '8542.39')).toBe(false);
    expect(sameHs6('8542', '854231')).toBe(true);
  });

  it('gives stable hit ids, so a false-positive mark survives a re-screening', () => {
    const bad = invoice({ lines: [{ ...invoice().lines[0], countryOfOrigin: 'DE' }, invoice().lines[1]] });
    expect(reconcileInvoices(declaration(), found(bad), ruleset)[0].id).toBe(
      reconcileInvoices(declaration(), found(bad), ruleset)[0].id,
    );
  });
});
