import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-event.entity';
import { recordAudit } from '../audit/audit.service';
import { openOrUpdateCase } from '../cases/case-opening';
import type { ReferenceIndex } from '../lists/reference-index';
import { collectHits, decide, type Outcome, type ScreeningContext } from '../screening/declaration-screening';
import { loadDossier, type DossierLoader } from '../screening/dossier';
import type { Hit } from '../screening/hits';
import { applySuppressions, type SuppressionSource } from '../screening/suppressions';
import { emitWebhookEvent } from '../webhooks/events';
import type { DeclarationInput } from './declarations.schemas';
import { keyOf, LIST_ENTRY_TAG, listEntryKeys } from './search-keys';

export interface ScreeningResult {
  outcome: Outcome;
  riskScore: number;
  hits: Hit[];
  listVersions: Record<string, string>;
  rulesetVersion: string;
  screenedAt: string;
}

export interface PublicHit extends Omit<Hit, 'weight' | 'partyFingerprint'> {}

/** The hit as clients see it (the risk weight and fingerprint are internal). */
export function publicHit(h: Hit): PublicHit {
  const { weight: _w, partyFingerprint: _f, ...rest } = h;
  return rest;
}

export interface StoredScreening {
  id: string;
  declarationId: string;
  outcome: Outcome;
  riskScore: number;
  caseId: string | null;
}

/**
 * Screens a declaration and writes the result: the screening row with the list versions and rule set version used,
 * the declaration's status, the review case when a person must look, the audit events and the webhook event, all in
 * the caller's transaction. Shared by submission, batches and delta re-screening.
 */
export class ScreeningPipeline {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: Omit<ScreeningContext, 'index'> & { index: ReferenceIndex },
    private readonly suppressions: SuppressionSource,
    private readonly config: Config,
    /** Readers of the records a declaration cites (licences, invoices), one per feature that owns them. */
    private readonly dossierLoaders: readonly DossierLoader[] = [],
  ) {}

  get rulesetVersion(): string {
    return this.context.ruleset.rulesetVersion;
  }

  /**
   * Screening plus the false-positive marks that hold for the declaration's organisation (read outside any
   * transaction), against every list version active when the call was made (the index waits for a newer activation,
   * or throws a 503 error), and with one consistent set.
   */
  async screen(declaration: DeclarationInput, organization: string, manager: EntityManager = this.dataSource.manager): Promise<ScreeningResult> {
    const lists = await this.context.index.current();
    const dossier = this.dossierLoaders.length ? await loadDossier(this.dossierLoaders, manager, organization, declaration) : undefined;
    const hits = collectHits(declaration, { ...this.context, index: lists, dossier });
    await applySuppressions(manager, hits, this.suppressions, (l, e) => lists.entryHash(l, e), organization);
    const { outcome, riskScore, overrides } = decide(hits, this.context.ruleset, declaration);
    // The hits that set the outcome through a rule-set override say so, so a reviewer reads why goods alone blocked.
    for (const o of overrides ?? []) {
      for (const h of hits) if (o.hitIds.includes(h.id)) h.evidence = { ...h.evidence, outcomeOverride: o.outcome };
    }
    return {
      outcome, riskScore, hits,
      listVersions: lists.versions(),
      rulesetVersion: this.context.ruleset.rulesetVersion,
      screenedAt: new Date().toISOString(),
    };
  }

  async record(
    m: EntityManager,
    actor: AuditActor,
    declaration: { id: string; organization: string; reference: string },
    result: ScreeningResult,
    trigger: 'submission' | 'batch' | 'rescreen',
  ): Promise<StoredScreening> {
    const [screening] = await m.query(
      `INSERT INTO screenings (declaration_id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8) RETURNING id`,
      [declaration.id, trigger, result.outcome, result.riskScore, JSON.stringify(result.hits), JSON.stringify(result.listVersions), result.rulesetVersion, result.screenedAt]);
    const needsReview = result.outcome !== 'CLEAR';
    // A declaration whose broker is asked for information stays so: its case keeps waiting for the answer.
    await m.query(
      `UPDATE declarations SET latest_screening_id = $2, outcome = $3, risk_score = $4, updated_at = now(),
         status = CASE WHEN status = 'information_requested' THEN status WHEN $5::boolean THEN 'under_review' WHEN status = 'screening' THEN 'cleared' ELSE status END
       WHERE id = $1`,
      [declaration.id, screening.id, result.outcome, result.riskScore, needsReview]);
    // The search keys follow the latest screening: `listEntry` finds the declarations that hit an entry now.
    await m.query(
      `UPDATE declaration_search SET keys = ARRAY(SELECT k FROM unnest(keys) AS k WHERE left(k, 2) <> $2) || $3::text[] WHERE declaration_id = $1`,
      [declaration.id, LIST_ENTRY_TAG, listEntryKeys(result.hits).map(keyOf.listEntry)]);
    await recordAudit(m, actor, {
      action: trigger === 'rescreen' ? 'declaration.rescreened' : 'declaration.screened', subjectType: 'declaration', subjectId: declaration.id,
      data: {
        screeningId: screening.id, outcome: result.outcome, riskScore: result.riskScore, rulesetVersion: result.rulesetVersion, listVersions: result.listVersions,
        hits: result.hits.map((h) => ({ id: h.id, kind: h.kind, severity: h.severity, score: h.score, subject: h.subject, listId: h.listId, entryId: h.entryId, suppressed: h.suppressed ?? false })),
      },
    });
    let caseId: string | null = null;
    if (result.outcome !== 'CLEAR') {
      const opened = await openOrUpdateCase(m, this.config, actor, declaration, { id: screening.id, outcome: result.outcome, riskScore: result.riskScore });
      caseId = opened.id;
    }
    await emitWebhookEvent(m, {
      type: trigger === 'rescreen' ? 'declaration.rescreened' : 'declaration.screened',
      organization: declaration.organization,
      subjectId: declaration.id,
      eventId: screening.id,
      data: { declarationId: declaration.id, reference: declaration.reference, outcome: result.outcome, riskScore: result.riskScore, screeningId: screening.id, caseId },
    });
    return { id: screening.id, declarationId: declaration.id, outcome: result.outcome, riskScore: result.riskScore, caseId };
  }
}
