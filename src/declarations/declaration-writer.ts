import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-actor';
import type { AuditRecord } from '../audit/audit.repository';
import { caseOpening, caseTerms } from '../review-rules/case-opening';
import { slaDeadline } from '../review-rules/priority';
import { dispatchJob } from '../webhooks/event-data';
import { turnBatch } from '../db/turn-batch';
import { insertScreenedDeclarations, type OutboxRow, type ScreenedDeclarationRows } from './declarations.repository';
import { submitResponse } from './declarations.schemas';
import { type DeclarationInput } from '../screening/declaration-input';
import { publicHit } from './screening-pipeline';
import { screenedAudit, screenedEvent, submittedAudit, type ScreeningResult } from './screening-records';
import { exactKeys, listEntryKeys, partyNames, searchKeysOf } from './search-keys';

export interface NewDeclaration {
  actor: AuditActor;
  organization: string;
  submittedBy: string;
  input: DeclarationInput;
  result: ScreeningResult;
  trigger: 'submission' | 'batch';
  batchId: string | null;
  /** Store the answer under this Idempotency-Key (claimed for this request body's hash) in the same statement. */
  idempotency?: { key: string; requestHash: string };
}

export interface WrittenDeclaration {
  /** The answer: the broker's view when an Idempotency-Key was given, the internal one otherwise. */
  answer: Record<string, unknown>;
  /** Outbox rows the statement wrote (0: nothing for the relay to do, so it need not be woken). */
  queuedJobs: number;
}

/**
 * Writes a new, screened declaration in ONE statement: the declaration, its screening, the review case when a person
 * must look, the audit events, the outbox row of the webhook event (only where a webhook subscribes) and the idempotent
 * answer; the case's SLA deadline needs no row (the sweep of src/cases/sla.ts finds the case when it is due). One
 * statement is atomic on its own and costs one round trip instead of a dozen, which is what lets a 2-core machine take
 * hundreds of declarations a second. Foreign keys between the rows are checked at the end of the statement. Re-screenings of
 * stored declarations go through ScreeningPipeline.record instead; both build the case (review-rules/case-opening.ts),
 * the audit records and the webhook event (screening-records.ts) with the same functions. The declaration's search
 * keys (search-keys.ts) are one more row of the same statement, and its party names rows of the name dictionary and
 * its narrow index (migration 1764192300000: the name's id is a hash computed here, so no round trip and no race
 * between two new names). The statement itself is insertScreenedDeclaration (declarations.repository.ts).
 */
export async function writeNewDeclaration(
  m: EntityManager,
  config: Config,
  d: NewDeclaration,
): Promise<Record<string, unknown>> {
  return (await writeNewDeclarationCounted(m, config, d)).answer;
}

/** writeNewDeclaration, also saying how many outbox rows it wrote (the submission path wakes the relay only then). */
export async function writeNewDeclarationCounted(
  m: EntityManager,
  config: Config,
  d: NewDeclaration,
): Promise<WrittenDeclaration> {
  const declarationId = randomUUID();
  const screeningId = randomUUID();
  const { result, input } = d;
  const screening =
    result.outcome === 'CLEAR' ? null : { id: screeningId, outcome: result.outcome, riskScore: result.riskScore };
  const opened = screening && caseOpening(declarationId, screening, caseTerms(config, screening));
  const caseId = opened?.id ?? null;
  const status = opened ? 'under_review' : 'cleared';

  const internalAnswer = {
    id: declarationId,
    reference: input.reference,
    status,
    caseId,
    screening: {
      id: screeningId,
      outcome: result.outcome,
      riskScore: result.riskScore,
      hits: result.hits.map(publicHit),
      listVersions: result.listVersions,
      rulesetVersion: result.rulesetVersion,
      screenedAt: result.screenedAt,
      trigger: d.trigger,
    },
  };
  // With an Idempotency-Key the answer is the broker's view (what the route returns, and what a replay returns): it is
  // stored as that, parsed once here, rather than as the internal answer that every replay parsed again; the broker
  // view drops the evidence brokers never see (list identifiers, weights), which is most of the stored bytes. A batch
  // item needs no answer text at all.
  const answer: Record<string, unknown> = d.idempotency ? submitResponse.parse(internalAnswer) : internalAnswer;

  const audit: AuditRecord[] = [
    submittedAudit(declarationId, {
      organization: d.organization,
      reference: input.reference,
      procedure: input.procedure,
      items: input.items.length,
      batchId: d.batchId,
    }),
    screenedAudit(declarationId, screeningId, result, d.trigger),
  ];
  const outbox: OutboxRow[] = [];
  if (opened) audit.push(opened.audit);
  const event = screenedEvent(
    { id: declarationId, organization: d.organization, reference: input.reference },
    screeningId,
    result,
    caseId,
    d.trigger,
  );
  // The statement writes the dispatch job only when a webhook of the organisation subscribes (as emitWebhookEvent).
  const dispatch = dispatchJob(event, result.screenedAt);
  outbox.push({
    name: 'webhooks.dispatch',
    payload: dispatch.payload,
    dedupeKey: dispatch.dedupeKey,
    delayMs: 0,
    onlyForWebhookEvent: event.type,
  });

  const search = searchKeysOf(input);
  const queued = await writeRows(m, {
    declarationId,
    organization: d.organization,
    input,
    status,
    batchId: d.batchId,
    submittedBy: d.submittedBy,
    screeningId,
    trigger: d.trigger,
    result,
    // Without a case the case row is not written; its priority and deadline are bound all the same (low, its SLA).
    reviewCase: opened
      ? { id: opened.id, priority: opened.priority, deadline: opened.deadline }
      : { id: null, priority: 4, deadline: slaDeadline(config, 4) },
    actor: d.actor,
    audit,
    outbox,
    idempotent: d.idempotency ? { ...d.idempotency, answer } : null,
    search: {
      names: search.names,
      keys: exactKeys(search, listEntryKeys(result.hits)),
      partyNames: partyNames(search),
    },
  });
  return { answer, queuedJobs: queued };
}

/** Declarations written in one statement at most (more wait for the next one). */
const MAX_DECLARATIONS_PER_STATEMENT = 64;

const writers = new WeakMap<DataSource, (rows: ScreenedDeclarationRows) => Promise<number>>();

/**
 * Writes one declaration's rows. Inside a transaction (a clearance that draws on licences, a batch item) they go in
 * their own statement, in that transaction. Otherwise they join the other declarations written in the same turn of the
 * event loop: one statement, one commit and one round trip for all of them (issue 15: what a submission spent per
 * statement, in the API and in PostgreSQL, was about a fifth of its cost). One statement is all or nothing, so when it
 * fails (a duplicate reference, two statements waiting on each other's names) each of its declarations is written
 * again alone, and only the one at fault fails its request.
 */
function writeRows(m: EntityManager, rows: ScreenedDeclarationRows): Promise<number> {
  if (m.queryRunner?.isTransactionActive) return insertScreenedDeclarations(m, [rows]).then(([queued]) => queued);
  const dataSource = m.connection;
  let writer = writers.get(dataSource);
  if (!writer) {
    writer = turnBatch((batch) => writeTogether(dataSource, batch), MAX_DECLARATIONS_PER_STATEMENT);
    writers.set(dataSource, writer);
  }
  return writer(rows);
}

async function writeTogether(
  dataSource: DataSource,
  batch: readonly ScreenedDeclarationRows[],
): Promise<(number | Error)[]> {
  try {
    return await insertScreenedDeclarations(dataSource.manager, batch);
  } catch (err) {
    if (batch.length === 1) throw err;
    return Promise.all(
      batch.map((rows) =>
        insertScreenedDeclarations(dataSource.manager, [rows]).then(
          ([queued]) => queued,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        ),
      ),
    );
  }
}
