/** A keyset position: the timestamp and id of the last row a page showed (http/pagination encodes it for clients). */
export interface Cursor {
  at: string;
  id: string;
}

/**
 * The one way to build a dynamic WHERE clause: conditions are collected in order, and every value is bound as a
 * numbered parameter ($1, $2, ...) in the order it is bound, so the statement text and its parameters stay in step.
 * Values are never spliced into the SQL text.
 *
 *   const f = new SqlFilter();
 *   if (q.status) f.where(`c.status = ${f.bind(q.status)}`);
 *   f.keysetBefore('c.created_at', 'c.id', after);
 *   m.query(`SELECT ... ${f.clause()} ORDER BY ... LIMIT ${f.bind(limit)}`, f.params);
 */
export class SqlFilter {
  /** The parameters bound so far, in placeholder order (pass to `query`). */
  readonly params: unknown[];
  private readonly conditions: string[] = [];

  /** `params`: values the statement already refers to as $1..$n (bound placeholders continue after them). */
  constructor(params: readonly unknown[] = []) {
    this.params = [...params];
  }

  /** Binds a value; returns its placeholder. An arrow so that it can be handed on as a `(v) => '$n'` function. */
  readonly bind = (value: unknown): string => {
    this.params.push(value);
    return `$${this.params.length}`;
  };

  /** Adds conditions (written with placeholders from `bind`); all of them must hold. */
  where(...conditions: string[]): this {
    this.conditions.push(...conditions);
    return this;
  }

  get empty(): boolean {
    return this.conditions.length === 0;
  }

  /** The conditions joined with AND ('' when none). */
  and(): string {
    return this.conditions.join(' AND ');
  }

  /** `WHERE a AND b`, or '' when there is no condition. */
  clause(): string {
    return this.conditions.length ? `WHERE ${this.and()}` : '';
  }

  /**
   * The keyset condition of a newest-first page after `after` (a decoded cursor of src/http/pagination):
   * `(at, id) < ($n::timestamptz, $m::uuid)`. Nothing when there is no cursor (the first page).
   */
  keysetBefore(atColumn: string, idColumn: string, after: Cursor | undefined): this {
    if (after)
      this.where(`(${atColumn}, ${idColumn}) < (${this.bind(after.at)}::timestamptz, ${this.bind(after.id)}::uuid)`);
    return this;
  }

  /**
   * The keyset condition of an ascending page in a composite order: `(col1, col2, ...) > ($n::type1, ...)`, each value
   * bound with its cast, in the order given.
   */
  keysetAfter(keys: readonly { column: string; value: unknown; cast: string }[]): this {
    const columns = keys.map((k) => k.column).join(', ');
    const values = keys.map((k) => `${this.bind(k.value)}::${k.cast}`).join(', ');
    return this.where(`(${columns}) > (${values})`);
  }
}
