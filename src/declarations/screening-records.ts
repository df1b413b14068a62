/**
 * What recording a screening says, built once for both ways a screening is written: the one-statement writer of a new
 * declaration (declaration-writer.ts) and ScreeningPipeline.record (re-screening a stored one). Pure.
 */
import type { AuditRecord } from '../audit/audit.repository';
import type { Outcome } from '../screening/declaration-screening';
import type { Hit } from '../screening/hits';

export interface ScreeningResult {
  outcome: Outcome;
  riskScore: number;
  hits: Hit[];
  listVersions: Record<string, string>;
  rulesetVersion: string;
  screenedAt: string;
}

export type ScreeningTrigger = 'submission' | 'batch' | 'rescreen';

/** The audit and webhook event type of a screening: a re-screening says so. */
export function screeningEventType(trigger: ScreeningTrigger): 'declaration.screened' | 'declaration.rescreened' {
  return trigger === 'rescreen' ? 'declaration.rescreened' : 'declaration.screened';
}

/** The `declaration.screened` (or `.rescreened`) audit record: the outcome and a summary of every hit. */
export function screenedAudit(
  declarationId: string,
  screeningId: string,
  result: ScreeningResult,
  trigger: ScreeningTrigger,
): AuditRecord {
  return {
    action: screeningEventType(trigger),
    subjectType: 'declaration',
    subjectId: declarationId,
    data: {
      screeningId,
      outcome: result.outcome,
      riskScore: result.riskScore,
      rulesetVersion: result.rulesetVersion,
      listVersions: result.listVersions,
      hits: result.hits.map((h) => ({
        id: h.id,
        kind: h.kind,
        severity: h.severity,
        score: h.score,
        subject: h.subject,
        listId: h.listId,
        entryId: h.entryId,
        suppressed: h.suppressed ?? false,
      })),
    },
  };
}

/** The `declaration.submitted` audit record of a new declaration. */
export function submittedAudit(
  declarationId: string,
  d: { organization: string; reference: string; procedure: string; items: number; batchId: string | null },
): AuditRecord {
  return { action: 'declaration.submitted', subjectType: 'declaration', subjectId: declarationId, data: d };
}

/** The webhook event of a screening (`declaration.screened`, or `.rescreened`): one per screening (its id). */
export function screenedEvent(
  declaration: { id: string; organization: string; reference: string },
  screeningId: string,
  result: Pick<ScreeningResult, 'outcome' | 'riskScore'>,
  caseId: string | null,
  trigger: ScreeningTrigger,
) {
  return {
    type: screeningEventType(trigger),
    organization: declaration.organization,
    subjectId: declaration.id,
    eventId: screeningId,
    data: {
      declarationId: declaration.id,
      reference: declaration.reference,
      outcome: result.outcome,
      riskScore: result.riskScore,
      screeningId,
      caseId,
    },
  };
}
