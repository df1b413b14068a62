/** Party name matching: the public surface. The engine is synchronous and pure (no I/O). */
export { EntityListIndex } from './entity-list-index';
export { PartyMatcher, DEFAULT_LIMIT, DEFAULT_MIN_SCORE } from './matcher';
export type {
  MatchExplanation, PartyMatch, PartyQuery, ScoreAdjustment, ScreenOptions, TokenComparison, TokenComparisonNote,
} from './types';
export { normalizeName, nameTokens } from './normalize';
export { transliterate, detectCyrillicLanguage, type CyrillicLanguage } from './transliterate';
export { stripLegalForms } from './legal-forms';
export { foldToken } from './fold';
export { partyFingerprint, prepareName } from './prepared-name';
export { normalizeIdentifier, normalizeIdentifierType, identifierTypesCompatible } from './identifiers';
export { normalizeCountry } from './countries';

/** Score bands of the product's default rule set. */
export const SCORE_BANDS = { strong: 0.95, review: 0.85, enhancedDueDiligence: 0.7 } as const;
