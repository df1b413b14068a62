import { getJson } from '../api';
import { badge, h, replace, table } from '../dom';
import { money } from '../format';
import { compareInvoices, type Column, type Invoice, type InvoiceParty, type LineComparison } from '../invoices-model';
import { errorMessage } from '../live';
import type { DeclarationBody, Hit, Paged } from '../types';

function party(p: InvoiceParty): string {
  const ids = (p.identifiers ?? []).map((i) => `${i.type} ${i.value}`).join(', ');
  return `${p.name} (${p.country})${ids ? ` · ${ids}` : ''}`;
}

/** A declared value beside the invoice's: the invoice's is marked when the server found them to differ. */
function pair(c: LineComparison, column: Column, declared: string, invoiced: string | undefined): HTMLTableCellElement {
  const differs = c.mismatched.has(column);
  return h(
    'td',
    { class: differs ? 'mismatch' : null },
    h('span', { class: 'declared' }, declared),
    invoiced === undefined ? null : h('span', { class: 'invoiced' }, differs ? h('mark', null, invoiced) : invoiced),
  );
}

function lineRow(c: LineComparison, currency: (n: string | undefined) => string): HTMLTableRowElement {
  const { item, line, invoice } = c;
  const where = line && invoice ? `${invoice.number} / ${line.lineNo}` : c.missing ? 'not on the cited invoices' : '—';
  return h(
    'tr',
    { class: c.findings.length ? 'flagged' : null },
    h('th', { scope: 'row', class: 'num' }, item.lineNo),
    h('td', { class: c.missing ? 'mismatch' : null }, c.missing ? h('mark', null, where) : where),
    pair(c, 'hs', item.hsCode, line?.hsCode),
    pair(c, 'origin', item.countryOfOrigin, line?.countryOfOrigin),
    pair(
      c,
      'quantity',
      item.quantity !== undefined ? `${item.quantity}${item.unit ? ` ${item.unit}` : ''}` : '—',
      line ? `${line.quantity} ${line.unit}` : undefined,
    ),
    pair(
      c,
      'value',
      money(item.value),
      line ? money({ amount: line.value, currency: currency(invoice?.number) }) : undefined,
    ),
    h(
      'td',
      null,
      c.findings.map((f) => h('div', { class: 'finding' }, f.explanation)),
    ),
  );
}

/** Reads each cited invoice of the declaring organisation (by number, then with its lines). */
async function loadInvoices(organization: string, numbers: string[], signal?: AbortSignal): Promise<Invoice[]> {
  const found = await Promise.all(
    numbers.map(async (number) => {
      const page = await getJson<Paged<{ id: string }>>('/v1/invoices', { organization, number }, signal);
      return page.items[0]
        ? getJson<Invoice>(`/v1/invoices/${encodeURIComponent(page.items[0].id)}`, undefined, signal)
        : undefined;
    }),
  );
  return found.filter((i): i is Invoice => !!i);
}

/**
 * The invoice panel of the case view: the invoices the declaration cites, and each declared line beside its invoice
 * line with the differences screening found marked. Nothing when the declaration cites no invoice.
 */
export function invoicePanel(
  body: DeclarationBody,
  organization: string,
  hits: Hit[],
  signal?: AbortSignal,
): HTMLElement | null {
  const numbers = body.invoiceNumbers ?? [];
  if (numbers.length === 0) return null;
  const content = h('div', null, h('p', { class: 'muted' }, 'Loading the cited invoices…'));
  const section = h(
    'section',
    { class: 'invoices-panel', 'aria-labelledby': 'invoices-title' },
    h('h2', { id: 'invoices-title' }, `Invoices (${numbers.length})`),
    content,
  );
  loadInvoices(organization, numbers, signal).then(
    (invoices) => {
      const cmp = compareInvoices(body, invoices, hits);
      const currencyOf = new Map(invoices.map((i) => [i.number, i.currency]));
      replace(
        content,
        cmp.missing.map((n) =>
          h(
            'p',
            { class: 'mismatch' },
            badge('not on file', 'block'),
            ' ',
            `Invoice ${n} is cited but was never filed by ${organization}.`,
          ),
        ),
        cmp.invoices.map(({ invoice, sellerFinding }) =>
          h(
            'dl',
            { class: 'facts small', 'aria-label': `Invoice ${invoice.number}` },
            h('dt', null, 'Invoice'),
            h(
              'dd',
              null,
              h('span', { class: 'ref' }, invoice.number),
              ` of ${invoice.date}, ${invoice.lines.length} line(s), ${money({ amount: invoice.totalValue, currency: invoice.currency })}`,
            ),
            h('dt', null, 'Seller'),
            h(
              'dd',
              { class: sellerFinding ? 'mismatch' : null },
              sellerFinding ? h('mark', null, party(invoice.seller)) : party(invoice.seller),
              sellerFinding ? h('div', { class: 'finding' }, sellerFinding.explanation) : null,
            ),
            h('dt', null, 'Buyer'),
            h('dd', null, party(invoice.buyer)),
          ),
        ),
        table(
          'Declared lines beside their invoice lines',
          ['Line', 'Invoice / line', 'HS code', 'Origin', 'Quantity', 'Value', 'Findings'],
          cmp.lines.map((c) => lineRow(c, (n) => (n ? currencyOf.get(n) : undefined) ?? '')),
          true,
        ),
      );
    },
    (err: unknown) => {
      if (signal?.aborted) return;
      replace(content, h('p', { class: 'error' }, `Could not read the invoices: ${errorMessage(err)}`));
    },
  );
  return section;
}
