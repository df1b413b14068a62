/**
 * Reconciliation of a declaration with the electronic invoices it cites (issue 12). Kazakhstan's State Revenue
 * Committee checks exporters' e-invoices against their declarations: goods re-labelled, re-valued or re-originated
 * between the invoice and the declaration are how controlled items slip through. Pure and synchronous, like the rest
 * of collectHits; the invoices come from the dossier loaded before screening.
 *
 * Line pairing, in three passes over every declared line, each invoice line paired at most once, invoices taken in
 * the order cited:
 *   1. an invoice line with the same line number and the same HS code at 6 digits;
 *   2. otherwise an invoice line with the same HS code at 6 digits (lines numbered differently);
 *   3. otherwise an invoice line with the same line number (its HS code then differs: `invoice-hs-differs`).
 * A declared line left unpaired is `invoice-line-missing`. Invoice lines nobody declared are not a finding here (a
 * shipment may carry part of an invoice).
 *
 * Currency: values are only compared in the same currency (no exchange rates here). An invoice in another currency
 * than the declared line's value is its own finding, `invoice-currency-differs`, and the value check is skipped.
 * Quantities are compared when the declared line gives one; a different unit of measure (case-insensitive) makes the
 * quantities incomparable, which is reported as `invoice-quantity-differs` too.
 */
import type { DeclarationInput, PartyInput } from './declaration-input';
import type { CitedInvoice, CitedInvoiceLine, CitedInvoiceParty } from './dossier';
import { normalizeHsCode } from './hs-code';
import { hitId, type Hit, type HitSeverity } from './hits';
import { normalizeIdentifier, prepareName } from './matching';
import type { Ruleset } from './ruleset';

/** The evidence.rule of every reconciliation hit. */
export const INVOICE_RULES = [
  'invoice-missing',
  'invoice-line-missing',
  'invoice-hs-differs',
  'invoice-quantity-differs',
  'invoice-value-differs',
  'invoice-currency-differs',
  'invoice-origin-differs',
  'invoice-seller-not-consignor',
] as const;
export type InvoiceRule = (typeof INVOICE_RULES)[number];

const WEIGHT_KEY: Record<InvoiceRule, keyof Ruleset['weights']> = {
  'invoice-missing': 'invoiceMissing',
  'invoice-line-missing': 'invoiceLineMissing',
  'invoice-hs-differs': 'invoiceHsDiffers',
  'invoice-quantity-differs': 'invoiceQuantityDiffers',
  'invoice-value-differs': 'invoiceValueDiffers',
  'invoice-currency-differs': 'invoiceCurrencyDiffers',
  'invoice-origin-differs': 'invoiceOriginDiffers',
  'invoice-seller-not-consignor': 'invoiceSellerNotConsignor',
};

const SEVERITY: Record<InvoiceRule, HitSeverity> = {
  'invoice-missing': 'medium',
  'invoice-line-missing': 'medium',
  'invoice-hs-differs': 'high',
  'invoice-quantity-differs': 'medium',
  'invoice-value-differs': 'medium',
  'invoice-currency-differs': 'low',
  'invoice-origin-differs': 'high',
  'invoice-seller-not-consignor': 'medium',
};

function hit(
  rule: InvoiceRule,
  subject: string,
  key: string,
  matched: string,
  explanation: string,
  evidence: Record<string, unknown>,
  ruleset: Ruleset,
): Hit {
  return {
    id: hitId('indicator', subject, `${rule}:${key}`),
    kind: 'indicator',
    severity: SEVERITY[rule],
    score: 1,
    subject,
    matched,
    explanation,
    evidence: { rule, ...evidence },
    weight: ruleset.weights[WEIGHT_KEY[rule]] as number,
  };
}

/** The first six digits (the HS subheading), or the whole code when shorter; undefined for an unreadable code. */
function hs6(raw: string): string | undefined {
  const r = normalizeHsCode(raw);
  return r.ok ? r.code.slice(0, 6) : undefined;
}

/** Same subheading, compared on the digits both codes have (a 4-digit code agrees with its 6-digit subheadings). */
export function sameHs6(a: string, b: string): boolean {
  const x = hs6(a);
  const y = hs6(b);
  if (!x || !y) return false;
  const n = Math.min(x.length, y.length);
  return x.slice(0, n) === y.slice(0, n);
}

/** |declared - invoiced| relative to the invoiced amount. */
export function relativeDifference(declared: number, invoiced: number): number {
  return Math.abs(declared - invoiced) / Math.max(Math.abs(invoiced), Number.EPSILON);
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Whether the invoice's seller is the declared consignor. Identifiers decide when both sides carry one of a type that
 * has a structure (any shared value means the same party; none shared means another one); otherwise the names, with
 * the screening matcher's normalisation (transliteration, legal forms such as LLP / TOO / GmbH dropped), compared as
 * token sets so "Astana Trade LLP" and "TOO Astana Trade" agree.
 */
export function sellerIsConsignor(
  seller: CitedInvoiceParty,
  consignor: PartyInput,
): { same: boolean; by: 'identifier' | 'name' } {
  const ids = (p: { identifiers?: { type: string; value: string }[] }) =>
    (p.identifiers ?? []).filter((i) => i.type !== 'OTHER').map((i) => normalizeIdentifier(i.value));
  const a = ids(seller);
  const b = new Set(ids(consignor));
  if (a.length && b.size) return { same: a.some((v) => b.has(v)), by: 'identifier' };
  const tokens = (name: string) => [...new Set(prepareName(name).folds)].sort().join(' ');
  return { same: tokens(seller.name) === tokens(consignor.name), by: 'name' };
}

interface Pairing {
  invoice: CitedInvoice;
  line: CitedInvoiceLine;
}

/** Pairs each declared line with at most one invoice line (see the file comment for the rule). */
export function pairLines(d: DeclarationInput, invoices: readonly CitedInvoice[]): (Pairing | undefined)[] {
  const taken = new Set<CitedInvoiceLine>();
  const pairs: (Pairing | undefined)[] = d.items.map(() => undefined);
  const passes: ((item: DeclarationInput['items'][number], line: CitedInvoiceLine) => boolean)[] = [
    (item, line) => line.lineNo === item.lineNo && sameHs6(item.hsCode, line.hsCode),
    (item, line) => sameHs6(item.hsCode, line.hsCode),
    (item, line) => line.lineNo === item.lineNo,
  ];
  for (const matches of passes) {
    d.items.forEach((item, i) => {
      if (pairs[i]) return;
      for (const invoice of invoices) {
        const line = invoice.lines.find((l) => !taken.has(l) && matches(item, l));
        if (!line) continue;
        taken.add(line);
        pairs[i] = { invoice, line };
        return;
      }
    });
  }
  return pairs;
}

/** Every reconciliation hit of the declaration against the invoices found for its cited numbers. */
export function reconcileInvoices(
  d: DeclarationInput,
  found: ReadonlyMap<string, CitedInvoice>,
  ruleset: Ruleset,
): Hit[] {
  const cited = d.invoiceNumbers ?? [];
  if (cited.length === 0) return [];
  const hits: Hit[] = [];
  const invoices: CitedInvoice[] = [];
  cited.forEach((number, i) => {
    const invoice = found.get(number);
    if (invoice) {
      invoices.push(invoice);
      return;
    }
    hits.push(
      hit(
        'invoice-missing',
        `invoiceNumbers[${i}]`,
        number,
        number,
        `invoice ${number} cited by the declaration is not on file for the declaring organisation: the goods cannot be checked against it`,
        { invoiceNumber: number },
        ruleset,
      ),
    );
  });
  if (invoices.length === 0) return hits;

  for (const invoice of invoices) {
    const check = sellerIsConsignor(invoice.seller, d.consignor);
    if (check.same) continue;
    hits.push(
      hit(
        'invoice-seller-not-consignor',
        'consignor',
        invoice.number,
        invoice.seller.name,
        `invoice ${invoice.number} was issued by "${invoice.seller.name}" (${invoice.seller.country}), not by the declared consignor "${d.consignor.name}" (${d.consignor.country}); compared by ${check.by}`,
        {
          invoiceNumber: invoice.number,
          declared: d.consignor.name,
          invoiced: invoice.seller.name,
          comparedBy: check.by,
        },
        ruleset,
      ),
    );
  }

  const { quantity: quantityTolerance, value: valueTolerance } = ruleset.invoiceTolerance;
  const numbers = invoices.map((v) => v.number).join(', ');
  pairLines(d, invoices).forEach((pair, i) => {
    const item = d.items[i];
    const subject = `items[${i}]`;
    if (!pair) {
      hits.push(
        hit(
          'invoice-line-missing',
          subject,
          `${numbers}:${item.lineNo}`,
          `line ${item.lineNo}`,
          `line ${item.lineNo} (HS ${item.hsCode}, "${item.description.slice(0, 80)}") has no counterpart in the cited invoice${invoices.length > 1 ? 's' : ''} ${numbers}, by line number or HS code`,
          { lineNo: item.lineNo, declared: item.hsCode, invoiceNumbers: invoices.map((v) => v.number) },
          ruleset,
        ),
      );
      return;
    }
    const { invoice, line } = pair;
    const where = `invoice ${invoice.number} line ${line.lineNo}`;
    const key = `${invoice.number}:${line.lineNo}`;
    const base = { invoiceNumber: invoice.number, invoiceLineNo: line.lineNo, lineNo: item.lineNo };
    if (!sameHs6(item.hsCode, line.hsCode)) {
      hits.push(
        hit(
          'invoice-hs-differs',
          subject,
          key,
          line.hsCode,
          `line ${item.lineNo}: declared under HS ${item.hsCode}, but ${where} has HS ${line.hsCode} ("${line.description.slice(0, 80)}"): a different subheading, possible misclassification`,
          { ...base, declared: item.hsCode, invoiced: line.hsCode },
          ruleset,
        ),
      );
    }
    if (item.countryOfOrigin !== line.countryOfOrigin) {
      hits.push(
        hit(
          'invoice-origin-differs',
          subject,
          key,
          line.countryOfOrigin,
          `line ${item.lineNo}: declared origin ${item.countryOfOrigin}, but ${where} says ${line.countryOfOrigin}`,
          { ...base, declared: item.countryOfOrigin, invoiced: line.countryOfOrigin },
          ruleset,
        ),
      );
    }
    if (item.quantity !== undefined) {
      const unitsDiffer = item.unit !== undefined && item.unit.trim().toLowerCase() !== line.unit.trim().toLowerCase();
      const difference = relativeDifference(item.quantity, line.quantity);
      if (unitsDiffer || difference > quantityTolerance) {
        hits.push(
          hit(
            'invoice-quantity-differs',
            subject,
            key,
            `${line.quantity} ${line.unit}`,
            unitsDiffer
              ? `line ${item.lineNo}: declared ${item.quantity} ${item.unit}, but ${where} counts ${line.quantity} ${line.unit}: units of measure differ`
              : `line ${item.lineNo}: declared quantity ${item.quantity}${item.unit ? ` ${item.unit}` : ''} differs by ${percent(difference)} from ${line.quantity} ${line.unit} on ${where} (tolerance ${percent(quantityTolerance)})`,
            {
              ...base,
              declared: item.quantity,
              declaredUnit: item.unit,
              invoiced: line.quantity,
              invoicedUnit: line.unit,
              difference,
              tolerance: quantityTolerance,
            },
            ruleset,
          ),
        );
      }
    }
    if (item.value.currency !== invoice.currency) {
      hits.push(
        hit(
          'invoice-currency-differs',
          subject,
          key,
          invoice.currency,
          `line ${item.lineNo}: declared value is in ${item.value.currency}, ${where} in ${invoice.currency}: the values were not compared`,
          { ...base, declared: item.value.currency, invoiced: invoice.currency },
          ruleset,
        ),
      );
    } else {
      const difference = relativeDifference(item.value.amount, line.value);
      if (difference > valueTolerance) {
        hits.push(
          hit(
            'invoice-value-differs',
            subject,
            key,
            `${line.value} ${invoice.currency}`,
            `line ${item.lineNo}: declared value ${item.value.amount} ${item.value.currency} differs by ${percent(difference)} from ${line.value} ${invoice.currency} on ${where} (tolerance ${percent(valueTolerance)})`,
            {
              ...base,
              declared: item.value.amount,
              invoiced: line.value,
              currency: invoice.currency,
              difference,
              tolerance: valueTolerance,
            },
            ruleset,
          ),
        );
      }
    }
  });
  return hits;
}
