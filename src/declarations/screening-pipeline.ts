import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-actor';
import { recordAudit } from '../audit/audit.service';
import type { ReferenceIndex } from '../lists/reference-index';
import { collectHits, decide, type Outcome, type ScreeningContext } from '../screening/declaration-screening';
import { loadDossier, type DossierLoader } from '../screening/dossier';
import type { Hit } from '../screening/hits';
import { applySuppressions, type SuppressionSource } from '../screening/suppressions';
import { emitWebhookEvent } from '../webhooks/events';
import type { CaseOpener } from './declaration-cases';
import { insertScreening, replaceSearchKeys, setLatestScreening } from './declarations.repository';
import type { DeclarationInput } from '../screening/declaration-input';
import { screenedAudit, screenedEvent, type ScreeningResult, type ScreeningTrigger } from './screening-records';
import { keyOf, LIST_ENTRY_TAG, listEntryKeys } from './search-keys';

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
    private readonly openCase: CaseOpener,
    /** Readers of the records a declaration cites (licences, invoices), one per feature that owns them. */
    private readonly dossierLoaders: readonly DossierLoader[] = [],
  ) {}

  get rulesetVersion(): string {
    return this.context.ruleset.rulesetVersion;
  }

  /**
   * Screening plus the false-positive marks that hold for the declaration's organisation (read outside any
   * transaction), against every list version active when the call was made (the index waits for a newer activation,
   * or throws a 503 error), and with one consistent set. `listGeneration`: list_generation as the caller read it after
   * the request arrived (see ReferenceIndex.current).
   */
  async screen(
    declaration: DeclarationInput,
    organization: string,
    manager: EntityManager = this.dataSource.manager,
    listGeneration?: number,
  ): Promise<ScreeningResult> {
    const lists = await this.context.index.current(listGeneration);
    const dossier = this.dossierLoaders.length
      ? await loadDossier(this.dossierLoaders, manager, organization, declaration)
      : undefined;
    const hits = collectHits(declaration, { ...this.context, index: lists, dossier });
    await applySuppressions(manager, hits, this.suppressions, (l, e) => lists.entryHash(l, e), organization);
    const { outcome, riskScore, overrides } = decide(hits, this.context.ruleset, declaration);
    // The hits that set the outcome through a rule-set override say so, so a reviewer reads why goods alone blocked.
    for (const o of overrides ?? []) {
      for (const h of hits) if (o.hitIds.includes(h.id)) h.evidence = { ...h.evidence, outcomeOverride: o.outcome };
    }
    return {
      outcome,
      riskScore,
      hits,
      listVersions: lists.versions(),
      rulesetVersion: this.context.ruleset.rulesetVersion,
      screenedAt: new Date().toISOString(),
    };
  }

  /**
   * Records a new screening of a stored declaration (a re-screening). A new declaration is written with its screening
   * in one statement by writeNewDeclaration (declaration-writer.ts), from the same builders (screening-records.ts,
   * review-rules/case-opening.ts).
   */
  async record(
    m: EntityManager,
    actor: AuditActor,
    declaration: { id: string; organization: string; reference: string },
    result: ScreeningResult,
    trigger: ScreeningTrigger,
  ): Promise<StoredScreening> {
    const screeningId = await insertScreening(m, declaration.id, trigger, result);
    const needsReview = result.outcome !== 'CLEAR';
    // A declaration whose broker is asked for information stays so: its case keeps waiting for the answer.
    await setLatestScreening(m, declaration.id, screeningId, result, needsReview);
    // The search keys follow the latest screening: `listEntry` finds the declarations that hit an entry now.
    await replaceSearchKeys(m, declaration.id, LIST_ENTRY_TAG, listEntryKeys(result.hits).map(keyOf.listEntry));
    await recordAudit(m, actor, screenedAudit(declaration.id, screeningId, result, trigger));
    let caseId: string | null = null;
    if (result.outcome !== 'CLEAR') {
      const opened = await this.openCase(m, this.config, actor, declaration, {
        id: screeningId,
        outcome: result.outcome,
        riskScore: result.riskScore,
      });
      caseId = opened.id;
    }
    await emitWebhookEvent(m, screenedEvent(declaration, screeningId, result, caseId, trigger));
    return {
      id: screeningId,
      declarationId: declaration.id,
      outcome: result.outcome,
      riskScore: result.riskScore,
      caseId,
    };
  }
}
