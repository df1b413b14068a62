/** Public shapes of the party matcher. */
import type { EntityEntry, IdentifierRef } from '../../domain/list-entry';
import type { TokenNoteText } from './token-similarity';

export interface PartyQuery {
  name: string;
  /** ISO alpha-2, alpha-3 or English name; unknown spellings are ignored. */
  country?: string;
  identifiers?: { type: string; value: string }[];
}

export interface ScreenOptions {
  /** Lowest score returned; default 0.7 (the usual enhanced-due-diligence band). */
  minScore?: number;
  /** Most matches returned; default 20. */
  limit?: number;
}

export type TokenComparisonNote = TokenNoteText | 'missing';

/** One line of the token table a reviewer reads. */
export interface TokenComparison {
  /** Normalised query token, null when a list token had no counterpart. */
  queryToken: string | null;
  listToken: string | null;
  /** 0-1, 4 decimals. */
  similarity: number;
  note: TokenComparisonNote;
  /**
   * What the token weighed in the score: its rarity in the indexed list (rare tokens drive the score, common ones
   * barely do); for a missing token, that weight times the share an omission costs (small for a patronymic).
   */
  weight: number;
  /** Set for patronymics and middle names, whose absence weighs less than a missing given name or surname. */
  role?: 'patronymic' | 'middle name';
}

export interface ScoreAdjustment {
  reason: string;
  /** Added to the score (negative for penalties), 4 decimals. */
  delta: number;
}

export interface MatchExplanation {
  /** The query name as given and the list name it met (an alias when an alias matched best). */
  queryName: string;
  listName: string;
  /** The names after normalisation and transliteration, legal forms removed: what was compared. */
  normalizedQuery: string;
  normalizedList: string;
  tokens: TokenComparison[];
  legalFormsIgnored: { query: string[]; list: string[] };
  /** Weighted token agreement before adjustments, 4 decimals (1 for identifier matches). */
  nameScore: number;
  adjustments: ScoreAdjustment[];
  /** Set when the match is decided by an identifier. */
  identifier?: { queryType: string; listType: string; value: string };
  summary: string;
}

export interface PartyMatch {
  listId: string;
  versionId: string;
  entryId: string;
  matchedName: string;
  /** 0-1, 4 decimals. */
  score: number;
  matchKind: 'name' | 'identifier';
  entry: Pick<EntityEntry, 'kind' | 'names' | 'countries' | 'programs'> & { identifiers: IdentifierRef[] };
  explanation: MatchExplanation;
}
