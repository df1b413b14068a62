import { z } from 'zod';
import type { Cursor } from '../db/sql-filter';
import { ValidationError } from './errors';

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(400).optional(),
});

export type { Cursor };

/** Opaque keyset cursor over (timestamp, id), newest first. Keyed columns are stored at millisecond precision, like a Date. */
export function encodeCursor(at: Date | string, id: string): string {
  const iso = at instanceof Date ? at.toISOString() : at;
  return Buffer.from(JSON.stringify({ at: iso, id })).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The form encodeCursor writes (toISOString, or a database timestamp string at millisecond or microsecond precision). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A timestamp PostgreSQL will accept as timestamptz: the exact ISO form we emit, within years 1-9999. */
export function isCursorTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)) && !value.startsWith('0000')
  );
}

/**
 * Parses an opaque base64url JSON cursor and checks it with `valid`; anything forged or damaged is a 400 naming
 * query.cursor (values reach SQL casts such as ::uuid and ::timestamptz, which would otherwise fail as a 500).
 */
export function decodeOpaqueCursor<T>(cursor: string, valid: (parsed: Record<string, unknown>) => boolean): T {
  if (CURSOR.test(cursor)) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && valid(parsed as Record<string, unknown>))
        return parsed as T;
    } catch {
      // fall through
    }
  }
  throw new ValidationError([
    { path: 'query.cursor', message: 'Invalid cursor: pass the nextCursor of a previous page unchanged' },
  ]);
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  return decodeOpaqueCursor<Cursor>(cursor, (c) => isCursorTimestamp(c.at) && isUuid(c.id));
}

export function page<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => [Date | string, string],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(...keyOf(last)) : null };
}
