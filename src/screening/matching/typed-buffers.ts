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

/** Iterations between two yields of a sliced computation: each slice stays well under a millisecond. */
export const SLICE = 256;

/**
 * Compressed sparse rows from (row, value) pairs: `start[r]..start[r+1]` indexes `values`. Pairs are given as two
 * parallel builders; values keep their insertion order within a row. Yields every few SLICEs of pairs so a caller can
 * keep the event loop turning (a million names make millions of pairs).
 */
export function* toCsrSteps(
  rows: U32Builder,
  values: U32Builder,
  rowCount: number,
): Generator<void, { start: Uint32Array; values: Uint32Array }> {
  const start = new Uint32Array(rowCount + 1);
  for (let i = 0; i < rows.length; i++) {
    start[rows.get(i) + 1]++;
    if ((i & (SLICE * 16 - 1)) === 0) yield;
  }
  for (let r = 0; r < rowCount; r++) start[r + 1] += start[r];
  const fill = start.slice(0, rowCount);
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[fill[rows.get(i)]++] = values.get(i);
    if ((i & (SLICE * 16 - 1)) === 0) yield;
  }
  return { start, values: out };
}

/** Runs a step generator to its end at once (the synchronous form). */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a step generator in slices of about `budgetMs`, giving the event loop a turn (setImmediate) between slices, so
 * requests keep being served while a big index is built.
 */
export async function runSliced<T>(steps: Generator<void, T>, budgetMs = 8): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - sliceStart >= budgetMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
