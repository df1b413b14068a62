import type { EntityManager } from 'typeorm';
import { SqlFilter } from '../db/sql-filter';
import type { Cursor } from '../http/pagination';
import type { CitedInvoice, DossierLoader } from '../screening/dossier';
import type { InvoiceInput } from './invoices.schemas';

export interface InvoiceRow {
  id: string;
  organization: string;
  number: string;
  invoice_date: string;
  seller: CitedInvoice['seller'];
  buyer: CitedInvoice['buyer'];
  currency: string;
  lines: CitedInvoice['lines'];
  line_count: number;
  total_value: string;
  created_by: string;
  created_at: Date;
}

const UNIQUE_VIOLATION = '23505';

export function isInvoiceNumberConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  return e.code === UNIQUE_VIOLATION && (e.constraint ?? e.driverError?.constraint) === 'invoices_number_unique';
}

// The date column is read as text so that no time zone turns 2026-03-01 into the evening of 28 February.
const COLUMNS = `id, organization, number, invoice_date::text AS invoice_date, seller, buyer, currency, lines, line_count, total_value, created_by, created_at`;

/** The invoices table: every query names the organisation whose invoices it reads, except the authority's reads. */

export async function insertInvoice(
  m: EntityManager,
  organization: string,
  createdBy: string,
  input: InvoiceInput,
): Promise<InvoiceRow> {
  const total = input.lines.reduce((sum, l) => sum + l.value, 0);
  const [row] = await m.query(
    `INSERT INTO invoices (organization, number, invoice_date, seller, buyer, currency, lines, line_count, total_value, created_by)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::jsonb, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      organization,
      input.number,
      input.date,
      JSON.stringify(input.seller),
      JSON.stringify(input.buyer),
      input.currency,
      JSON.stringify(input.lines),
      input.lines.length,
      total,
      createdBy,
    ],
  );
  return row;
}

/** One invoice; `organization` undefined for the customs authority, which reads every organisation's. */
export async function readInvoice(
  m: EntityManager,
  id: string,
  organization: string | undefined,
): Promise<InvoiceRow | undefined> {
  const [row] = await m.query(
    `SELECT ${COLUMNS} FROM invoices WHERE id = $1 AND ($2::text IS NULL OR organization = $2)`,
    [id, organization ?? null],
  );
  return row;
}

/** Newest first, keyset-paginated on (created_at, id); the lines are left out of the page. */
export async function listInvoices(
  m: EntityManager,
  q: { organization?: string; number?: string; after?: Cursor; limit: number },
): Promise<InvoiceRow[]> {
  const f = new SqlFilter();
  if (q.organization) f.where(`organization = ${f.bind(q.organization)}`);
  if (q.number) f.where(`number = ${f.bind(q.number)}`);
  f.keysetBefore('created_at', 'id', q.after);
  return m.query(
    `SELECT ${COLUMNS.replace(' lines,', " '[]'::jsonb AS lines,")} FROM invoices ${f.clause()}
     ORDER BY created_at DESC, id DESC LIMIT ${f.bind(q.limit + 1)}`,
    f.params,
  );
}

/** The organisation's invoices with these numbers, in one query. */
export async function invoicesByNumbers(
  m: EntityManager,
  organization: string,
  numbers: readonly string[],
): Promise<InvoiceRow[]> {
  if (numbers.length === 0) return [];
  return m.query(`SELECT ${COLUMNS} FROM invoices WHERE organization = $1 AND number = ANY($2::text[])`, [
    organization,
    numbers,
  ]);
}

export function citedInvoice(row: InvoiceRow): CitedInvoice {
  return {
    id: row.id,
    number: row.number,
    date: row.invoice_date,
    seller: row.seller,
    buyer: row.buyer,
    currency: row.currency,
    lines: row.lines,
  };
}

/** The invoices part of the dossier: the declaring organisation's invoices for the cited numbers (one query). */
export function invoiceDossierLoader(): DossierLoader {
  return async (m, organization, declaration) => {
    const rows = await invoicesByNumbers(m, organization, declaration.invoiceNumbers ?? []);
    return { invoices: new Map(rows.map((r) => [r.number, citedInvoice(r)])) };
  };
}
