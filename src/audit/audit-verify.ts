import type { DataSource } from 'typeorm';
import { chainHash, contentOf, GENESIS_HASH } from './audit-chain';
import { checkpointHead } from './audit-checkpoints';
import {
  checkpointAt,
  checkpointsBetween,
  countUnsealed,
  eventAt,
  insertVerification,
  lastVerification,
  sealedEventsFrom,
  type Checkpoint,
} from './audit.repository';
import { checkpointMessage, type AuditSigner, type TrustedKeys } from './audit-signing';

export interface VerifyResult {
  ok: boolean;
  /** Events whose hashes this call recomputed (from `fromSeq` to the head). */
  checked: number;
  headSeq: number;
  headHash: string;
  unsealed: number;
  /** `full`: from the genesis hash; `incremental`: from the last checkpoint an earlier verification confirmed. */
  mode: 'full' | 'incremental';
  fromSeq: number;
  /** Signed checkpoints compared with the chain in this call. */
  checkpointsChecked: number;
  /** The signed checkpoint at the verified head (made now if the head had none): keep it outside the database. */
  checkpoint?: Checkpoint;
  firstBadSeq?: number;
  problem?: string;
  anchor?: { seq: number; expectedHash: string; ok: boolean };
}

export interface VerifyOptions {
  full?: boolean;
  anchor?: { seq: number; hash: string };
}

const BATCH = 5000;

interface Bad {
  seq: number;
  problem: string;
}

/** Whether the checkpoint is signed by a trusted key and the chain still holds its hash at its position. */
function checkpointProblem(
  cp: Checkpoint,
  eventHash: string | null,
  keys: TrustedKeys,
  sinceSeq: number,
): string | undefined {
  if (!keys.has(cp.keyId, cp.publicKey))
    return `checkpoint at event ${cp.seq} is signed by key ${cp.keyId}, which this service does not trust`;
  if (!keys.check(checkpointMessage(cp.seq, cp.hash, cp.signedAt), cp.publicKey, cp.signature))
    return `checkpoint at event ${cp.seq} has an invalid signature`;
  if (eventHash === null)
    return `event ${cp.seq} is signed in a checkpoint but missing from the chain: events were removed`;
  if (eventHash !== cp.hash) {
    return `event ${cp.seq} no longer has the hash signed in its checkpoint: events ${sinceSeq} to ${cp.seq} were rewritten`;
  }
  return undefined;
}

/**
 * Verifies the chain in constant memory. Recomputing hashes catches an edited row, a removed row (gap or broken link)
 * and a reordering; signed checkpoints (and a caller's anchor) also catch a rewrite with consistently recomputed hashes
 * and a removal at the tail, which the chain alone cannot show.
 *
 * By default it starts from the newest checkpoint that an earlier successful verification confirmed: that checkpoint's
 * signature and the event hash at its position are checked (any rewrite below it with recomputed hashes changes that
 * hash), then only later events are rehashed. An edit below it that did not recompute hashes is found by `full`, which
 * rehashes from genesis; after a failed verification every call is full until the chain verifies again.
 */
export async function verifyChain(
  dataSource: DataSource,
  signer: AuditSigner,
  keys: TrustedKeys,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let mode: VerifyResult['mode'] = 'full';
  let checked = 0;
  let checkpointsChecked = 0;
  let lastConfirmed = 0;
  let bad: Bad | undefined;

  if (!options.full) {
    const last = await lastVerification(dataSource);
    if (last?.ok && last.checkpoint_seq !== null) {
      mode = 'incremental';
      const baseSeq = Number(last.checkpoint_seq);
      const base = await checkpointAt(dataSource, baseSeq);
      const row = await eventAt(dataSource, baseSeq);
      checkpointsChecked += 1;
      const problem = base
        ? checkpointProblem(base, row?.hash ?? null, keys, 1)
        : `the checkpoint at event ${baseSeq}, confirmed by an earlier verification, is missing`;
      if (problem) bad = { seq: baseSeq, problem };
      else {
        expectedSeq = baseSeq + 1;
        prev = base!.hash;
        lastConfirmed = baseSeq;
      }
    }
  }
  const fromSeq = expectedSeq;

  while (!bad) {
    const rows = await sealedEventsFrom(dataSource, expectedSeq, BATCH);
    if (rows.length === 0) break;
    const checkpoints = new Map(
      (await checkpointsBetween(dataSource, expectedSeq, Number(rows[rows.length - 1].seq))).map((c) => [c.seq, c]),
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        bad = { seq: expectedSeq, problem: `event ${expectedSeq} is missing (next is ${seq})` };
      } else if (row.prev_hash !== prev) {
        bad = { seq, problem: `event ${seq} does not link to the hash of event ${seq - 1}` };
      } else if (chainHash(contentOf(row, seq), prev) !== row.hash) {
        bad = { seq, problem: `event ${seq} was altered: its content no longer matches its hash` };
      } else if (checkpoints.has(seq)) {
        checkpointsChecked += 1;
        const problem = checkpointProblem(checkpoints.get(seq)!, row.hash, keys, lastConfirmed + 1);
        if (problem) bad = { seq, problem };
        else lastConfirmed = seq;
      }
      if (bad) break;
      prev = row.hash!;
      checked += 1;
      expectedSeq += 1;
    }
    if (rows.length < BATCH) break;
  }
  const headSeq = expectedSeq - 1;

  // Checkpoints past the walked head: either events sealed while we walked (fine if they match) or a removed tail.
  if (!bad) {
    for (const cp of await checkpointsBetween(dataSource, headSeq + 1)) {
      const row = await eventAt(dataSource, cp.seq);
      checkpointsChecked += 1;
      const problem = checkpointProblem(cp, row?.hash ?? null, keys, lastConfirmed + 1);
      if (problem) {
        bad = { seq: row ? cp.seq : headSeq + 1, problem };
        break;
      }
    }
  }

  const count = await countUnsealed(dataSource);
  const result: VerifyResult = {
    ok: !bad,
    checked,
    headSeq,
    headHash: prev,
    unsealed: count,
    mode,
    fromSeq,
    checkpointsChecked,
  };
  if (bad) {
    result.firstBadSeq = bad.seq;
    result.problem = bad.problem;
  } else if (headSeq > 0) {
    // Sign what was just verified, so the next call starts here.
    const cp = await checkpointHead(dataSource, signer, 'verify', { seq: headSeq, hash: prev });
    if (cp) result.checkpoint = cp;
  }
  if (options.anchor) {
    const { seq, hash } = options.anchor;
    const row = await eventAt(dataSource, seq);
    const anchorOk = !bad || seq < bad.seq ? row?.hash === hash : false;
    result.anchor = { seq, expectedHash: hash, ok: anchorOk };
    if (!anchorOk) {
      result.ok = false;
      result.problem ??= `the chain at event ${seq} does not have the anchored hash: the log was rewritten`;
      result.firstBadSeq ??= seq;
    }
  }
  await recordVerification(dataSource, result);
  return result;
}

async function recordVerification(dataSource: DataSource, r: VerifyResult): Promise<void> {
  await insertVerification(dataSource, {
    fullCheck: r.mode === 'full',
    fromSeq: r.fromSeq,
    headSeq: r.headSeq,
    headHash: r.headHash,
    checked: r.checked,
    ok: r.ok,
    firstBadSeq: r.firstBadSeq ?? null,
    problem: r.problem ?? null,
    checkpointSeq:
      r.ok && r.checkpoint && r.checkpoint.seq === r.headSeq && r.checkpoint.hash === r.headHash
        ? r.checkpoint.seq
        : null,
  });
}
