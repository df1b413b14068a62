import type { EntityManager } from 'typeorm';
import type { Hit } from '../screening/hits';
import type { Outcome } from '../screening/declaration-screening';
import type { DeclarationStatus } from './declarations.schemas';
import type { DeclarationInput } from '../screening/declaration-input';

/** What the case view (src/cases) reads of its declaration and the declaration's latest screening. */

export interface CaseDeclarationRow {
  id: string;
  reference: string;
  organization: string;
  procedure: string;
  status: DeclarationStatus;
  outcome: Outcome;
  risk_score: number;
  body: DeclarationInput;
  latest_screening_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CaseScreeningRow {
  id: string;
  trigger: string;
  outcome: Outcome;
  risk_score: number;
  hits: Hit[];
  list_versions: Record<string, string>;
  ruleset_version: string;
  screened_at: Date;
}

export async function readCaseDeclaration(m: EntityManager, id: string): Promise<CaseDeclarationRow> {
  const [d]: CaseDeclarationRow[] = await m.query(
    `SELECT id, reference, organization, procedure, status, outcome, risk_score, body, latest_screening_id, created_at, updated_at FROM declarations WHERE id = $1`,
    [id],
  );
  return d;
}

export async function readCaseScreening(m: EntityManager, id: string): Promise<CaseScreeningRow | undefined> {
  const [s]: CaseScreeningRow[] = await m.query(
    `SELECT id, trigger, outcome, risk_score, hits, list_versions, ruleset_version, screened_at FROM screenings WHERE id = $1`,
    [id],
  );
  return s;
}
