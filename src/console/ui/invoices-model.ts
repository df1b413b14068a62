/**
 * What the case view's invoice panel shows, from the declaration, the cited invoices and the screening's hits; pure, so
 * it is unit-tested without a browser. The findings come from the server (evidence.rule `invoice-*`): the console
 * never decides a mismatch itself, it only places each finding next to the line or party it is about.
 */
import type { InvoiceView } from '../../invoices/invoices.schemas';
import type { DeclarationBody, DeclarationItem, Hit } from './types';

/** The API's invoice view (GET /v1/invoices/{id}), typed from its zod schema (type-only: no server code is bundled). */
export type Invoice = InvoiceView;
export type InvoiceLine = Invoice['lines'][number];
export type InvoiceParty = Invoice['seller'];

/** Which column of the comparison a finding is about. */
export type Column = 'hs' | 'origin' | 'quantity' | 'value';

const COLUMN_OF: Record<string, Column> = {
  'invoice-hs-differs': 'hs',
  'invoice-origin-differs': 'origin',
  'invoice-quantity-differs': 'quantity',
  'invoice-value-differs': 'value',
  'invoice-currency-differs': 'value',
};

export interface LineComparison {
  index: number;
  item: DeclarationItem;
  invoice?: Invoice;
  line?: InvoiceLine;
  /** No line of the cited invoices is this declared line's (the server's invoice-line-missing). */
  missing: boolean;
  mismatched: Set<Column>;
  findings: Hit[];
}

export interface InvoiceComparison {
  /** Cited numbers with no invoice on file. */
  missing: string[];
  invoices: { invoice: Invoice; sellerFinding?: Hit }[];
  lines: LineComparison[];
}

export function invoiceFindings(hits: Hit[]): Hit[] {
  return hits.filter(
    (h) => !h.suppressed && typeof h.evidence?.rule === 'string' && h.evidence.rule.startsWith('invoice-'),
  );
}

const digits = (code: string): string => code.replace(/\D/g, '').slice(0, 6);
const sameHs6 = (a: string, b: string): boolean => {
  const x = digits(a);
  const y = digits(b);
  const n = Math.min(x.length, y.length);
  return n > 0 && x.slice(0, n) === y.slice(0, n);
};

/**
 * Each declared line beside its invoice line. A finding names the invoice line it compared (evidence.invoiceNumber and
 * invoiceLineNo); a line without findings is shown beside the invoice line the server's pairing rule would pick
 * (same line number and HS6, else same HS6, else same line number), which then agrees with it on every field checked.
 */
export function compareInvoices(
  body: DeclarationBody & { invoiceNumbers?: string[] },
  invoices: Invoice[],
  hits: Hit[],
): InvoiceComparison {
  const findings = invoiceFindings(hits);
  const byNumber = new Map(invoices.map((i) => [i.number, i]));
  const cited = (body.invoiceNumbers ?? []).map((n) => byNumber.get(n)).filter((i): i is Invoice => !!i);
  const taken = new Set<InvoiceLine>();
  const lines: LineComparison[] = body.items.map((item, index) => {
    const own = findings.filter((h) => h.subject === `items[${index}]`);
    const mismatched = new Set(own.map((h) => COLUMN_OF[String(h.evidence?.rule)]).filter((c): c is Column => !!c));
    const missing = own.some((h) => h.evidence?.rule === 'invoice-line-missing');
    const named = own.find((h) => h.evidence?.invoiceNumber !== undefined && h.evidence?.invoiceLineNo !== undefined);
    let invoice: Invoice | undefined;
    let line: InvoiceLine | undefined;
    if (named) {
      invoice = byNumber.get(String(named.evidence!.invoiceNumber));
      line = invoice?.lines.find((l) => l.lineNo === named.evidence!.invoiceLineNo);
      if (line) taken.add(line);
    }
    return { index, item, invoice, line, missing, mismatched, findings: own };
  });
  const passes: ((item: DeclarationItem, l: InvoiceLine) => boolean)[] = [
    (item, l) => l.lineNo === item.lineNo && sameHs6(item.hsCode, l.hsCode),
    (item, l) => sameHs6(item.hsCode, l.hsCode),
    (item, l) => l.lineNo === item.lineNo,
  ];
  for (const matches of passes) {
    for (const c of lines) {
      if (c.line || c.missing) continue;
      for (const invoice of cited) {
        const line = invoice.lines.find((l) => !taken.has(l) && matches(c.item, l));
        if (!line) continue;
        taken.add(line);
        Object.assign(c, { invoice, line });
        break;
      }
    }
  }
  return {
    missing: (body.invoiceNumbers ?? []).filter((n) => !byNumber.has(n)),
    invoices: cited.map((invoice) => ({
      invoice,
      sellerFinding: findings.find(
        (h) => h.evidence?.rule === 'invoice-seller-not-consignor' && h.evidence?.invoiceNumber === invoice.number,
      ),
    })),
    lines,
  };
}
