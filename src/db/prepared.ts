import type { PoolClient } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/**
 * A hot statement PostgreSQL parses, analyses and plans once per pooled connection instead of on every call: the
 * declaration writer's ten-CTE statement spent about as much backend CPU in parse and plan as in execution (issue 15).
 * The name must stay with one text (pg refuses a second text under a used name).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export function prepared(name: string, text: string): PreparedStatement {
  return { name, text };
}

const preparing = new WeakSet<DataSource>();

/**
 * Lets this data source's connections keep named statements. Off for the embedded database (its pool shares one
 * PostgreSQL session, where one connection's named statement would collide with another's) and with
 * DB_PREPARED_STATEMENTS=false (a transaction-pooling proxy such as PgBouncer in front of PostgreSQL).
 */
export function usePreparedStatements(dataSource: DataSource): void {
  preparing.add(dataSource);
}

/**
 * Runs a prepared statement on the manager's connection (its transaction's, or one taken from the pool for the call);
 * the rows, like `query`. Where named statements are off, the same text runs as an ordinary query. A failure is the
 * same QueryFailedError `query` throws, so callers read the same error codes either way.
 */
export async function queryPrepared<T = Record<string, unknown>>(
  m: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  if (!preparing.has(m.connection)) return m.query(statement.text, values);
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    // Outside the try below: a connection that cannot be had fails as it does for `query` (503 by its own code).
    const client = (await runner.connect()) as PoolClient;
    try {
      const res = await client.query({ name: statement.name, text: statement.text, values: values.map(arrayLiteral) });
      return res.rows as T[];
    } catch (err) {
      throw err instanceof QueryFailedError ? err : new QueryFailedError(statement.text, values, err as Error);
    }
  } finally {
    if (!m.queryRunner) await runner.release();
  }
}

const ESCAPED = /["\\]/;

/**
 * A flat array parameter as the PostgreSQL array literal pg would send for it, byte for byte, built with one join
 * where no element needs escaping (pg builds it element by element, with two regular-expression replaces each: the
 * writer's statement sends dozens of such arrays per declaration). Any other value, and arrays holding anything but
 * strings, numbers, booleans and nulls, are left for pg. prepared.test.ts holds it to pg's own serialisation.
 */
export function arrayLiteral(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  let plain = true;
  for (const item of value) {
    const t = typeof item;
    if (t === 'string') {
      if (ESCAPED.test(item as string)) plain = false;
    } else if (item === null || item === undefined) plain = false;
    else if (t !== 'number' && t !== 'boolean' && t !== 'bigint') return value;
  }
  if (value.length === 0) return '{}';
  if (plain) return `{"${value.join('","')}"}`;
  let out = '{';
  for (let i = 0; i < value.length; i += 1) {
    if (i > 0) out += ',';
    const item = value[i] as unknown;
    if (item === null || item === undefined) out += 'NULL';
    else out += `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
  return `${out}}`;
}
