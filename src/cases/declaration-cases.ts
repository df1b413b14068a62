import type { DataSource } from 'typeorm';
import type { DeclarationCases } from '../declarations/declaration-cases';
import { openOrUpdateCase } from './case-opening';
import { findCaseOfDeclaration, findFinalDecision } from './declaration-cases.repository';

/** What the declarations feature needs of review cases (see src/declarations/declaration-cases.ts). */
export function declarationCases(ds: DataSource): DeclarationCases {
  return {
    openOrUpdate: openOrUpdateCase,
    caseOf: (declarationId) => findCaseOfDeclaration(ds, declarationId),
    finalDecision: (declarationId) => findFinalDecision(ds, declarationId),
  };
}
