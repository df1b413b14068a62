/** Growable typed-array buffer: a million-name index would need tens of millions of boxed numbers otherwise. */
export class U32Builder {
  private buf: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  get(i: number): number {
    return this.buf[i];
  }

  /** A right-sized copy; the builder can be dropped afterwards. */
  finish(): Uint32Array {
    return this.buf.slice(0, this.length);
  }
}

/**
 * Compressed sparse rows from (row, value) pairs: `start[r]..start[r+1]` indexes `values`.
 * Pairs are given as two parallel builders; values keep their insertion order within a row.
 */
export function toCsr(rows: U32Builder, values: U32Builder, rowCount: number): { start: Uint32Array; values: Uint32Array } {
  const start = new Uint32Array(rowCount + 1);
  for (let i = 0; i < rows.length; i++) start[rows.get(i) + 1]++;
  for (let r = 0; r < rowCount; r++) start[r + 1] += start[r];
  const fill = start.slice(0, rowCount);
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[fill[rows.get(i)]++] = values.get(i);
  return { start, values: out };
}
