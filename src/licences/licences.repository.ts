import type { EntityManager } from 'typeorm';
import { SqlFilter } from '../db/sql-filter';
import type { Cursor } from '../http/pagination';
import type { CitedLicence, LicenceLimit } from '../screening/dossier';
import { licenceKey } from '../screening/licence-check';

export interface LicenceRow {
  id: string;
  number: string;
  holder: CitedLicence['holder'];
  hs_prefixes: string[];
  destination_countries: string[];
  valid_from: string;
  valid_to: string;
  limit_kind: 'quantity' | 'value' | null;
  limit_amount: number | null;
  limit_unit: string | null;
  notes: string | null;
  created_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
  used: number;
  status: 'active' | 'not_yet_valid' | 'expired' | 'revoked';
}

/** Dates as text (no time zone games), numerics as numbers, the balance used so far and the status on the given day. */
const columns = (
  drawdownFilter = '',
) => `l.id, l.number, l.holder, l.hs_prefixes, l.destination_countries, l.valid_from::text AS valid_from, l.valid_to::text AS valid_to,
  l.limit_kind, l.limit_amount::float8 AS limit_amount, l.limit_unit, l.notes, l.created_at, l.revoked_at, l.revoke_reason,
  COALESCE((SELECT sum(dd.amount) FROM licence_drawdowns dd WHERE dd.licence_id = l.id ${drawdownFilter}), 0)::float8 AS used`;
const COLUMNS = columns();
const STATUS = `CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked' WHEN l.valid_to < $1::date THEN 'expired' WHEN l.valid_from > $1::date THEN 'not_yet_valid' ELSE 'active' END`;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function limitOf(row: Pick<LicenceRow, 'limit_kind' | 'limit_amount' | 'limit_unit'>): LicenceLimit | null {
  if (!row.limit_kind || row.limit_amount === null || !row.limit_unit) return null;
  return row.limit_kind === 'quantity'
    ? { kind: 'quantity', amount: row.limit_amount, unit: row.limit_unit }
    : { kind: 'value', amount: row.limit_amount, currency: row.limit_unit };
}

export function citedLicence(row: LicenceRow): CitedLicence {
  return {
    id: row.id,
    number: row.number,
    holder: row.holder,
    hsPrefixes: row.hs_prefixes,
    destinationCountries: row.destination_countries,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    limit: limitOf(row),
    revoked: row.revoked_at !== null,
    used: row.used,
  };
}

export async function readLicence(m: EntityManager, id: string): Promise<LicenceRow | undefined> {
  const [row] = await m.query(`SELECT ${COLUMNS}, ${STATUS} AS status FROM licences l WHERE l.id = $2`, [today(), id]);
  return row;
}

/**
 * The licences with these numbers (trimmed, case-insensitive), in one query; `lock` takes their rows FOR UPDATE in id
 * order. `exceptDeclaration` (organisation and reference, the declaration's unique key) leaves that declaration's own
 * drawdowns out of `used`: re-screening a cleared or released declaration must not find its licence exhausted by itself.
 */
export async function licencesByNumber(
  m: EntityManager,
  numbers: string[],
  options: { lock?: boolean; exceptDeclaration?: { organization: string; reference: string } } = {},
): Promise<LicenceRow[]> {
  const keys = [...new Set(numbers.map(licenceKey))];
  if (keys.length === 0) return [];
  if (options.lock)
    await m.query(`SELECT id FROM licences WHERE upper(number) = ANY($1::text[]) ORDER BY id FOR UPDATE`, [keys]);
  const except = options.exceptDeclaration;
  if (!except)
    return m.query(`SELECT ${COLUMNS}, ${STATUS} AS status FROM licences l WHERE upper(l.number) = ANY($2::text[])`, [
      today(),
      keys,
    ]);
  return m.query(
    `SELECT ${columns('AND dd.declaration_id NOT IN (SELECT d.id FROM declarations d WHERE d.organization = $3 AND d.reference = $4)')}, ${STATUS} AS status
     FROM licences l WHERE upper(l.number) = ANY($2::text[])`,
    [today(), keys, except.organization, except.reference],
  );
}

export async function listLicences(
  m: EntityManager,
  q: { number?: string; status?: string; limit: number },
  cursor: Cursor | undefined,
): Promise<LicenceRow[]> {
  const f = new SqlFilter([today()]);
  if (q.number) f.where(`upper(l.number) = ${f.bind(licenceKey(q.number))}`);
  if (q.status) f.where(`${STATUS} = ${f.bind(q.status)}`);
  f.keysetBefore('l.created_at', 'l.id', cursor);
  return m.query(
    `SELECT ${COLUMNS}, ${STATUS} AS status FROM licences l ${f.clause()}
     ORDER BY l.created_at DESC, l.id DESC LIMIT ${f.bind(q.limit + 1)}`,
    f.params,
  );
}

export interface DrawdownRow {
  declaration_id: string;
  line_no: number;
  quantity: number | null;
  unit: string | null;
  value_amount: number;
  value_currency: string;
  amount: number | null;
  exceeded: boolean;
  trigger: 'decision' | 'clearance';
  created_at: Date;
}

export function drawdownsOf(m: EntityManager, licenceId: string): Promise<DrawdownRow[]> {
  return m.query(
    `SELECT declaration_id, line_no, quantity::float8 AS quantity, unit, value_amount::float8 AS value_amount, value_currency, amount::float8 AS amount,
       exceeded, trigger, created_at FROM licence_drawdowns WHERE licence_id = $1 ORDER BY created_at, declaration_id, line_no`,
    [licenceId],
  );
}

export async function insertLicence(
  m: EntityManager,
  l: {
    number: string;
    holder: unknown;
    hsPrefixes: string[];
    destinationCountries: string[];
    validFrom: string;
    validTo: string;
    limitKind: string | null;
    limitAmount: number | null;
    limitUnit: string | null;
    notes: string | null;
    createdBy: string;
  },
): Promise<string> {
  const [{ id }] = await m.query(
    `INSERT INTO licences (number, holder, hs_prefixes, destination_countries, valid_from, valid_to, limit_kind, limit_amount, limit_unit, notes, created_by)
     VALUES ($1, $2::jsonb, $3::text[], $4::text[], $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      l.number,
      JSON.stringify(l.holder),
      l.hsPrefixes,
      l.destinationCountries,
      l.validFrom,
      l.validTo,
      l.limitKind,
      l.limitAmount,
      l.limitUnit,
      l.notes,
      l.createdBy,
    ],
  );
  return id;
}

/** The licence's number and revocation, its row locked for the rest of the transaction. */
export async function lockLicence(
  m: EntityManager,
  id: string,
): Promise<{ id: string; number: string; revoked_at: Date | null } | undefined> {
  const [row] = await m.query(`SELECT id, number, revoked_at FROM licences WHERE id = $1 FOR UPDATE`, [id]);
  return row;
}

export async function revokeLicence(m: EntityManager, id: string, by: string, reason: string): Promise<void> {
  await m.query(`UPDATE licences SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE id = $1`, [
    id,
    by,
    reason,
  ]);
}

/** Records a line's draw on a licence; false when that (licence, declaration, line) already drew. */
export async function insertDrawdown(
  m: EntityManager,
  d: {
    licenceId: string;
    declarationId: string;
    lineNo: number;
    quantity: number | null;
    unit: string | null;
    valueAmount: number;
    valueCurrency: string;
    amount: number | null;
    exceeded: boolean;
    trigger: 'decision' | 'clearance';
  },
): Promise<boolean> {
  const [inserted] = await m.query(
    `INSERT INTO licence_drawdowns (licence_id, declaration_id, line_no, quantity, unit, value_amount, value_currency, amount, exceeded, trigger)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (licence_id, declaration_id, line_no) DO NOTHING RETURNING id`,
    [
      d.licenceId,
      d.declarationId,
      d.lineNo,
      d.quantity,
      d.unit,
      d.valueAmount,
      d.valueCurrency,
      d.amount,
      d.exceeded,
      d.trigger,
    ],
  );
  return Boolean(inserted);
}
