/** Small measuring helpers shared by the benchmarks. */

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** JS heap plus ArrayBuffer memory (the index keeps its arrays in typed arrays, outside the JS heap proper). */
export function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
}

export function fmtMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/** Runs `fn` once per query and returns the sorted latencies in milliseconds. */
export function timeQueries<T>(queries: readonly T[], fn: (q: T) => unknown): Float64Array {
  const lat = new Float64Array(queries.length);
  for (let i = 0; i < queries.length; i++) {
    const t = performance.now();
    fn(queries[i]);
    lat[i] = performance.now() - t;
  }
  return lat.sort();
}
