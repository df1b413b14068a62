/**
 * Party name matching: the public surface. The engine is synchronous and pure (no I/O).
 *
 * How a name is matched (one file per step):
 * - normalize.ts / transliterate.ts: NFC, Cyrillic to Latin by the language the letters reveal (Russian,
 *   Ukrainian, Belarusian, Kazakh), Czech/Polish carons kept as sounds, NFKD without marks, punctuation out.
 * - legal-forms.ts: OOO / LLC / ТОО / JSC ... removed before scoring and reported in the explanation.
 * - fold.ts: a phonetic fold per token so romanisation variants coincide (Dmitriy / Dmitrii, zh / zj, kh / h),
 *   and coarse consonant keys with one-edit neighbours for retrieval.
 * - index-builder.ts / candidates.ts: an inverted index from keys to vocabulary folds to name ids (typed
 *   arrays, IDF weights per entry); candidates are ranked by summed weight, only the best are scored.
 * - token-similarity.ts / name-scorer.ts: weighted edit distance per token, one-to-one pairing, rarity-weighted
 *   agreement with reduced costs for omitted patronymics and middle names, penalties and caps.
 * - matcher.ts / explain.ts: identifiers first (decisive), best name per entry, country adjustment, explanation.
 */
export { EntityListIndex } from './entity-list-index';
export { PartyMatcher, DEFAULT_LIMIT, DEFAULT_MIN_SCORE, type PartyMatcherOptions } from './matcher';
export type {
  MatchExplanation,
  PartyMatch,
  PartyQuery,
  ScoreAdjustment,
  ScreenOptions,
  TokenComparison,
  TokenComparisonNote,
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
