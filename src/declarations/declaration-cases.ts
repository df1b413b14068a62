/**
 * What declarations need of their review cases. Cases import declarations, never the other way round, so src/cases
 * implements this (src/cases/declaration-cases.ts) and the composition hands it to the declarations feature.
 */
import type { EntityManager } from 'typeorm';
import type { Config } from '../config/config';
import type { AuditActor } from '../audit/audit-actor';
import type { ScreeningForCase } from '../review-rules/case-opening';

/** Opens the review case of a screened declaration that needs a person, or raises the open one. */
export type CaseOpener = (
  m: EntityManager,
  config: Config,
  actor: AuditActor,
  declaration: { id: string; organization: string },
  screening: ScreeningForCase,
) => Promise<{ id: string }>;

/** The declaration's review case as its view shows it to the customs authority. */
export interface DeclarationCaseRow {
  id: string;
  status: string;
  level: string;
  priority: number;
  deadline: Date;
  overdue: boolean;
  assignee_key_id: string | null;
  created_at: Date;
  closed_at: Date | null;
}

export interface DeclarationCases {
  /** Opens or raises the case of a re-screened declaration that needs a person (ScreeningPipeline.record). */
  openOrUpdate: CaseOpener;
  /** The declaration's review case, if it has one. */
  caseOf(declarationId: string): Promise<DeclarationCaseRow | undefined>;
  /** The final decision (approved where it needed to be) that gave the declaration a final status, newest first. */
  finalDecision(declarationId: string): Promise<{ action: string; decided_at: Date } | undefined>;
}
