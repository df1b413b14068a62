/**
 * A name broken down once into what every later step needs: tokens, folds, legal forms, patronymic flags.
 * The list side does this once per name at build time; the query side once per screen call.
 */
import { createHash } from 'node:crypto';
import { foldToken, isPatronymicFold, retrievalKeys, typoKeys } from './fold';
import { legalFormMask, maskedPhrases } from './legal-forms';
import { normalizeName, tokenizeNormalized } from './normalize';
import { normalizeCountry } from './countries';
import { normalizeIdentifier, normalizeIdentifierType } from './identifiers';
import type { IdentifierType } from '../../domain/list-entry';
import type { PartyQuery } from './types';

export interface PreparedName {
  original: string;
  /** Normalised tokens without legal forms, in written order. */
  tokens: string[];
  folds: string[];
  patronymic: boolean[];
  legalForms: string[];
  /** `tokens` joined by spaces. */
  normalized: string;
}

export function prepareName(name: string): PreparedName {
  const all = tokenizeNormalized(normalizeName(name));
  const allFolds = all.map(foldToken);
  const mask = legalFormMask(allFolds);
  const tokens: string[] = [];
  const folds: string[] = [];
  for (let i = 0; i < all.length; i++) {
    if (mask[i]) continue;
    tokens.push(all[i]);
    folds.push(allFolds[i]);
  }
  return {
    original: name,
    tokens,
    folds,
    patronymic: folds.map(isPatronymicFold),
    legalForms: maskedPhrases(all, mask),
    normalized: tokens.join(' '),
  };
}

export interface PreparedIdentifier {
  type: IdentifierType;
  rawType: string;
  value: string;
}

export interface PreparedQuery {
  name: PreparedName;
  /** Retrieval keys of each token (fold.ts `retrievalKeys`). */
  keys: string[][];
  /** Further keys for tokens the list does not know (fold.ts `typoKeys`). */
  typoKeys: string[][];
  country: string | undefined;
  identifiers: PreparedIdentifier[];
}

export function prepareQuery(q: PartyQuery): PreparedQuery {
  const name = prepareName(q.name ?? '');
  return {
    name,
    keys: name.folds.map(retrievalKeys),
    typoKeys: name.folds.map(typoKeys),
    country: normalizeCountry(q.country),
    identifiers: (q.identifiers ?? []).map((id) => {
      const type = normalizeIdentifierType(id.type);
      return { type, rawType: id.type, value: normalizeIdentifier(id.value, type) };
    }),
  };
}

/**
 * A stable key of a party for allow-listing reviewed false positives: the folded name tokens (sorted, legal
 * forms removed) plus the country. Spelling variants that the matcher treats as identical (word order,
 * Cyrillic or Latin, Dmitry / Dmitriy, OOO / LLC) give the same key, so a reviewed party stays allow-listed
 * however the next declaration spells it; a different given name or country gives a different key.
 */
export function partyFingerprint(q: PartyQuery): string {
  const name = prepareName(q.name ?? '');
  const key = `${[...name.folds].sort().join(' ')}|${normalizeCountry(q.country) ?? ''}`;
  return `pf1:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
