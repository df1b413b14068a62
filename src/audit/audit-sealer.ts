import type { DataSource } from 'typeorm';
import { chainHash, contentOf, GENESIS_HASH } from './audit-chain';
import { chainHead, lockSealer, sealEvents, tryLockSealer, unsealedEvents } from './audit.repository';

const BATCH = 5000;

/**
 * Chains committed audit events. Writers insert without locks and without knowing the chain; the sealer, under a
 * transaction-scoped advisory lock (one sealer at a time across all processes), takes the committed unsealed events,
 * gives them the next sequence numbers in id order and writes prev_hash/hash. An event whose transaction commits late
 * is simply sealed in a later round, after the ones already chained: the chain order is the sealing order, gapless and
 * total, and no writer ever waits for another. The guard trigger lets the chain columns be written once, by this
 * (through audit_seal: the runtime role holds no UPDATE on audit_events).
 * Returns how many events it sealed (0 when nothing is ready, or another process holds the lock and `wait` is off).
 */
export async function sealPending(dataSource: DataSource, options: { wait?: boolean } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await dataSource.transaction(async (m) => {
      // The background sealer skips a round when another process is sealing; exports and verification wait for it.
      if (options.wait) await lockSealer(m);
      else if (!(await tryLockSealer(m))) return 0;
      const rows = await unsealedEvents(m, BATCH);
      if (rows.length === 0) return 0;
      const head = await chainHead(m);
      let seq = head ? head.seq : 0;
      let prev = head ? head.hash : GENESIS_HASH;
      const ids: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        seq += 1;
        const hash = chainHash(contentOf(row, seq), prev);
        ids.push(row.id);
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      // Through audit_seal: the runtime role's only way to write chain columns (see sealEvents).
      await sealEvents(m, ids, seqs, prevs, hashes);
      return rows.length;
    });
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

/** Runs sealPending every `intervalMs` until stopped; errors are logged and retried next round. */
export function startSealer(
  dataSource: DataSource,
  intervalMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  return repeatSerially(() => sealPending(dataSource), intervalMs, onError);
}

/**
 * Runs `round` every `intervalMs`, never two at once (a slow round delays the next); errors go to `onError` and the
 * next round runs as usual. stop() waits for the round in flight.
 */
export function repeatSerially(
  round: () => Promise<unknown>,
  intervalMs: number,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? null : round())).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
