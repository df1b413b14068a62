import type { DataSource } from 'typeorm';
import { chainHash, contentOf, EVENT_COLUMNS, GENESIS_HASH, type EventRow } from './audit-chain';

/** Any stable number: the advisory lock that makes one process at a time the sealer. */
const SEALER_LOCK = 7261_0001;
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
      if (options.wait) await m.query(`SELECT pg_advisory_xact_lock($1)`, [SEALER_LOCK]);
      else {
        const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SEALER_LOCK]);
        if (!locked) return 0;
      }
      const rows: EventRow[] = await m.query(
        `SELECT ${EVENT_COLUMNS} FROM audit_events
         WHERE seq IS NULL ORDER BY id LIMIT ${BATCH}`,
      );
      if (rows.length === 0) return 0;
      const head: { seq: string; hash: string }[] = await m.query(
        `SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
      );
      let seq = head.length ? Number(head[0].seq) : 0;
      let prev = head.length ? head[0].hash : GENESIS_HASH;
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
      // audit_seal (SECURITY DEFINER, owned by the migration owner) is the runtime role's only way to write chain
      // columns: it seals unsealed rows only, and only as a contiguous continuation of the head.
      await m.query(`SELECT audit_seal($1::bigint[], $2::bigint[], $3::text[], $4::text[])`, [ids, seqs, prevs, hashes]);
      return rows.length;
    });
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

/** Runs sealPending every `intervalMs` until stopped; errors are logged and retried next round. */
export function startSealer(dataSource: DataSource, intervalMs: number, onError: (err: unknown) => void): { stop(): Promise<void> } {
  return repeatSerially(() => sealPending(dataSource), intervalMs, onError);
}

/**
 * Runs `round` every `intervalMs`, never two at once (a slow round delays the next); errors go to `onError` and the
 * next round runs as usual. stop() waits for the round in flight.
 */
export function repeatSerially(round: () => Promise<unknown>, intervalMs: number, onError: (err: unknown) => void): { stop(): Promise<void> } {
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
