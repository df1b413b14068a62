import DataLoader from 'dataloader';

/**
 * Calls to `load` made in the same turn of the event loop, handed to `run` together once the loop has handled every
 * ready request (at most `max` at a time; more go in the next call). `run` answers one value, or an Error, per item and
 * in order; when it throws, every item of that call fails with its error. No caching: each item is run. Used where one
 * statement and one commit can serve several requests (issue 15).
 */
export function turnBatch<K, V>(
  run: (items: readonly K[]) => Promise<readonly (V | Error)[]>,
  max: number,
): (item: K) => Promise<V> {
  const loader = new DataLoader<K, V>(run, {
    cache: false,
    maxBatchSize: max,
    batchScheduleFn: (send) => setImmediate(send),
  });
  return (item) => loader.load(item);
}
