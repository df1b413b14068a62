import type { DataSource } from 'typeorm';
import { chainHash, contentOf, EVENT_COLUMNS, GENESIS_HASH, type EventRow } from './audit-chain';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  unsealed: number;
  firstBadSeq?: number;
  problem?: string;
  anchor?: { seq: number; expectedHash: string; ok: boolean };
}

const BATCH = 5000;

/**
 * Recomputes the whole chain from the genesis hash, in constant memory. Catches an edited row (hash differs), a
 * removed row (sequence gap or broken prev_hash link) and a reordering. An anchor (a head hash an auditor kept outside
 * the database) also catches a rewrite of the whole chain.
 */
export async function verifyChain(dataSource: DataSource, anchor?: { seq: number; hash: string }): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  let bad: { seq: number; problem: string } | undefined;
  let anchorOk: boolean | undefined;
  for (;;) {
    const rows: EventRow[] = await dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT ${BATCH}`,
      [expectedSeq],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        bad = { seq: expectedSeq, problem: `event ${expectedSeq} is missing (next is ${seq})` };
      } else if (row.prev_hash !== prev) {
        bad = { seq, problem: `event ${seq} does not link to the hash of event ${seq - 1}` };
      } else if (chainHash(contentOf(row, seq), prev) !== row.hash) {
        bad = { seq, problem: `event ${seq} was altered: its content no longer matches its hash` };
      }
      if (bad) break;
      if (anchor && seq === anchor.seq) anchorOk = row.hash === anchor.hash;
      prev = row.hash!;
      checked += 1;
      expectedSeq += 1;
    }
    if (bad || rows.length < BATCH) break;
  }
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE seq IS NULL`);
  const result: VerifyResult = { ok: !bad, checked, headSeq: expectedSeq - 1, headHash: prev, unsealed: count };
  if (bad) {
    result.firstBadSeq = bad.seq;
    result.problem = bad.problem;
  }
  if (anchor) {
    const anchorResult = { seq: anchor.seq, expectedHash: anchor.hash, ok: anchorOk === true };
    result.anchor = anchorResult;
    if (!anchorResult.ok) {
      result.ok = false;
      result.problem ??= `the chain at event ${anchor.seq} does not have the anchored hash: the log was rewritten`;
      result.firstBadSeq ??= anchor.seq;
    }
  }
  return result;
}
