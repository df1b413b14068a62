import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-event.entity';
import type { AuditRecord } from '../audit/audit.service';
import { casePriority, PRIORITY_NAMES, slaMinutes } from '../cases/priority';
import { escalationJob } from '../cases/sla';
import type { JobName, JobPayloads } from '../jobs/catalogue';
import type { DispatchedEvent } from '../webhooks/events';
import { publicEventData } from '../webhooks/event-data';
import { submitResponse, type DeclarationInput } from './declarations.schemas';
import { publicHit, type ScreeningResult } from './screening-pipeline';
import { exactKeys, listEntryKeys, partyNames, searchKeysOf } from './search-keys';

interface OutboxRow {
  name: JobName;
  payload: JobPayloads[JobName];
  dedupeKey: string;
  delayMs: number;
  /** Written only when one of the organisation's webhooks subscribes to this event type. */
  onlyForWebhookEvent?: string;
}

export interface NewDeclaration {
  actor: AuditActor;
  organization: string;
  submittedBy: string;
  input: DeclarationInput;
  result: ScreeningResult;
  trigger: 'submission' | 'batch';
  batchId: string | null;
  /** Store the answer under this Idempotency-Key in the same statement. */
  idempotencyKey?: string;
}

export interface WrittenDeclaration {
  /** The answer: the broker's view when an Idempotency-Key was given, the internal one otherwise. */
  answer: Record<string, unknown>;
  /** Outbox rows the statement wrote (0: nothing for the relay to do, so it need not be woken). */
  queuedJobs: number;
}

/**
 * Writes a new, screened declaration in ONE statement: the declaration, its screening, the review case when a person
 * must look, the audit events, the outbox rows (webhook event, SLA escalation) and the idempotent answer. One statement
 * is atomic on its own and costs one round trip instead of a dozen, which is what lets a 2-core machine take hundreds
 * of declarations a second. Foreign keys between the rows are checked at the end of the statement. Re-screenings of
 * stored declarations go through ScreeningPipeline.record instead. The declaration's search keys (search-keys.ts) are
 * one more row of the same statement, and its party names rows of the name dictionary and its narrow index (migration
 * 1764192300000: the name's id is a hash computed here, so no round trip and no race between two new names).
 */
export async function writeNewDeclaration(m: EntityManager, config: Config, d: NewDeclaration): Promise<Record<string, unknown>> {
  return (await writeNewDeclarationCounted(m, config, d)).answer;
}

/** writeNewDeclaration, also saying how many outbox rows it wrote (the submission path wakes the relay only then). */
export async function writeNewDeclarationCounted(m: EntityManager, config: Config, d: NewDeclaration): Promise<WrittenDeclaration> {
  const declarationId = randomUUID();
  const screeningId = randomUUID();
  const { result, input } = d;
  const needsCase = result.outcome !== 'CLEAR';
  const caseId = needsCase ? randomUUID() : null;
  const priority = needsCase ? casePriority(result.outcome as 'REVIEW' | 'BLOCK', result.riskScore) : 4;
  const deadline = new Date(Date.now() + Math.round(slaMinutes(config, priority) * 60_000));
  const status = needsCase ? 'under_review' : 'cleared';

  const internalAnswer = {
    id: declarationId,
    reference: input.reference,
    status,
    caseId,
    screening: {
      id: screeningId, outcome: result.outcome, riskScore: result.riskScore, hits: result.hits.map(publicHit),
      listVersions: result.listVersions, rulesetVersion: result.rulesetVersion, screenedAt: result.screenedAt, trigger: d.trigger,
    },
  };
  // With an Idempotency-Key the answer is the broker's view (what the route returns, and what a replay returns): it is
  // stored as that, parsed once here, rather than as the internal answer that every replay parsed again; the broker
  // view drops the evidence brokers never see (list identifiers, weights), which is most of the stored bytes. A batch
  // item needs no answer text at all.
  const answer: Record<string, unknown> = d.idempotencyKey ? submitResponse.parse(internalAnswer) : internalAnswer;

  const audit: AuditRecord[] = [
    { action: 'declaration.submitted', subjectType: 'declaration', subjectId: declarationId, data: { organization: d.organization, reference: input.reference, procedure: input.procedure, items: input.items.length, batchId: d.batchId } },
    {
      action: 'declaration.screened', subjectType: 'declaration', subjectId: declarationId,
      data: {
        screeningId, outcome: result.outcome, riskScore: result.riskScore, rulesetVersion: result.rulesetVersion, listVersions: result.listVersions,
        hits: result.hits.map((h) => ({ id: h.id, kind: h.kind, severity: h.severity, score: h.score, subject: h.subject, listId: h.listId, entryId: h.entryId, suppressed: h.suppressed ?? false })),
      },
    },
  ];
  const outbox: OutboxRow[] = [];
  if (caseId) {
    audit.push({
      action: 'case.opened', subjectType: 'case', subjectId: caseId,
      data: { declarationId, screeningId, level: result.outcome, priority: PRIORITY_NAMES[priority], deadline: deadline.toISOString() },
    });
    outbox.push(escalationJob(caseId, deadline));
  }
  const event: DispatchedEvent = {
    eventId: screeningId, type: 'declaration.screened', organization: d.organization, subjectId: declarationId, createdAt: result.screenedAt,
    data: publicEventData('declaration.screened', { declarationId, reference: input.reference, outcome: result.outcome, riskScore: result.riskScore, screeningId, caseId }),
  };
  outbox.push({ name: 'webhooks.dispatch', payload: event, dedupeKey: `webhooks.dispatch:${event.type}:${declarationId}:${screeningId}`, delayMs: 0, onlyForWebhookEvent: event.type });

  const search = searchKeysOf(input);

  const [{ queued }] = await m.query(
    `WITH d AS (
       INSERT INTO declarations (id, organization, reference, procedure, body, status, outcome, risk_score, latest_screening_id, batch_id, submitted_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11) RETURNING created_at),
     k AS (
       INSERT INTO declaration_search (declaration_id, organization, created_at, names, keys)
       SELECT $1, $2, d.created_at, $32, $33::text[] FROM d),
     pn AS (
       INSERT INTO party_names (folded, id) SELECT x, hashtextextended(x, 0) FROM unnest($34::text[]) x ON CONFLICT DO NOTHING),
     dp AS (
       INSERT INTO declaration_party_names (name_id, created_at, declaration_id, organization)
       SELECT hashtextextended(x, 0), d.created_at, $1, $2 FROM d, unnest($34::text[]) x ON CONFLICT DO NOTHING),
     s AS (
       INSERT INTO screenings (id, declaration_id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at)
       VALUES ($9, $1, $12, $7, $8, $13::jsonb, $14::jsonb, $15, $16)),
     c AS (
       INSERT INTO review_cases (id, declaration_id, organization, status, level, priority, risk_score, deadline)
       SELECT $17::uuid, $1, $2, 'open', $7, $18, $8, $19 WHERE $17::uuid IS NOT NULL),
     a AS (
       INSERT INTO audit_events (actor, action, subject_type, subject_id, data)
       SELECT $20::jsonb, x.a, x.t, x.s, x.d FROM unnest($21::text[], $22::text[], $23::text[], $24::jsonb[]) AS x(a, t, s, d)),
     o AS (
       INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
       SELECT x.n, x.p, x.k, now() + x.ms * interval '1 millisecond' FROM unnest($25::text[], $26::jsonb[], $27::text[], $28::int[], $29::text[]) AS x(n, p, k, ms, ev)
       WHERE x.ev IS NULL OR EXISTS (SELECT 1 FROM webhooks w WHERE w.organization = $2 AND w.deleted_at IS NULL AND x.ev = ANY(w.events))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1),
     i AS (
       UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = $31::jsonb
       WHERE $30::text IS NOT NULL AND organization = $2 AND key = $30)
     SELECT (SELECT count(*) FROM o)::int AS queued`,
    [
      declarationId, d.organization, input.reference, input.procedure, JSON.stringify(input), status, result.outcome, result.riskScore, screeningId, d.batchId, d.submittedBy,
      d.trigger, JSON.stringify(result.hits), JSON.stringify(result.listVersions), result.rulesetVersion, result.screenedAt,
      caseId, priority, deadline,
      JSON.stringify(d.actor), audit.map((r) => r.action), audit.map((r) => r.subjectType), audit.map((r) => r.subjectId), audit.map((r) => JSON.stringify(r.data ?? {})),
      outbox.map((o) => o.name), outbox.map((o) => JSON.stringify(o.payload)), outbox.map((o) => o.dedupeKey), outbox.map((o) => o.delayMs), outbox.map((o) => o.onlyForWebhookEvent ?? null),
      d.idempotencyKey ?? null, d.idempotencyKey ? JSON.stringify(answer) : null,
      search.names, exactKeys(search, listEntryKeys(result.hits)), partyNames(search),
    ],
  );
  return { answer, queuedJobs: queued };
}
