/**
 * Builds the compact arrays of an EntityListIndex. Strings are interned once (distinct tokens and folds are a
 * few tens of thousands even for a million names); everything per name or per posting is a typed array.
 */
import type { EntityEntry } from '../../domain/list-entry';
import { foldToken, isPatronymicFold, retrievalKeys } from './fold';
import { isLegalFormFold, legalFormMask } from './legal-forms';
import { normalizeName, tokenizeNormalized } from './normalize';
import { normalizeIdentifier, MIN_IDENTIFIER_LENGTH } from './identifiers';
import { runSliced, runToEnd, SLICE, toCsrSteps, U32Builder } from './typed-buffers';

/** Names longer than this are cut for matching: they are descriptions, not names. */
export const MAX_NAME_TOKENS = 24;

export interface IndexData {
  entries: EntityEntry[];
  nameCount: number;
  nameEntry: Uint32Array;
  /** Names of entry e are ids entryNameStart[e] .. entryNameStart[e + 1] - 1. */
  entryNameStart: Uint32Array;
  /** Position of the name in entry.names. */
  nameAlias: Uint16Array;
  nameTokStart: Uint32Array;
  /** Token ids of each name in written order, legal forms removed. */
  nameTokens: Uint32Array;
  /** Sum of the weights of the name's distinct folds. */
  nameWeight: Float32Array;
  tokenText: string[];
  tokenFold: Uint32Array;
  foldText: string[];
  foldIds: Map<string, number>;
  foldWeight: Float32Array;
  foldPatronymic: Uint8Array;
  /** Posting lists: ascending name ids per fold. */
  postStart: Uint32Array;
  postNames: Uint32Array;
  keyIds: Map<string, number>;
  keyStart: Uint32Array;
  keyFolds: Uint32Array;
  /** Normalised identifier value -> entry index * 256 + index in entry.identifiers. */
  identifiers: Map<string, number[]>;
  /** ln(1 + entries): the weight of a token seen nowhere. */
  maxWeight: number;
  /** Tokens weighing less than this are common in this list (see name-scorer single-token cap). */
  commonWeight: number;
}

class Interner {
  readonly ids = new Map<string, number>();
  readonly texts: string[] = [];
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(s, id);
      this.texts.push(s);
    }
    return id;
  }
}

export function buildIndexData(input: Iterable<EntityEntry>): IndexData {
  return runToEnd(indexDataSteps(input));
}

/**
 * The same build in slices that give the event loop a turn about every `budgetMs`: a list of a million names is
 * built while the process keeps answering requests (the old index serves until the new one is swapped in).
 */
export function buildIndexDataSliced(input: Iterable<EntityEntry>, budgetMs?: number): Promise<IndexData> {
  return runSliced(indexDataSteps(input), budgetMs);
}

/** The build as a step generator: it yields every slice of work; the caller decides whether to pause there. */
export function* indexDataSteps(input: Iterable<EntityEntry>): Generator<void, IndexData> {
  const entries = Array.isArray(input) ? (input as EntityEntry[]) : [...input];
  const tokens = new Interner();
  const folds = new Interner();
  const tokenFold = new U32Builder();
  /** Per fold: 1 when some legal-form phrase uses it. */
  const foldLegal = new U32Builder();
  const nameEntry = new U32Builder();
  const nameAlias = new U32Builder();
  const nameTokStart = new U32Builder();
  const nameTokens = new U32Builder();
  const identifiers = new Map<string, number[]>();
  const entryNameStart = new Uint32Array(entries.length + 1);
  const seenNames = new Set<string>();

  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e];
    entryNameStart[e] = nameEntry.length;
    seenNames.clear();
    const names = entry.names.length > 65535 ? entry.names.slice(0, 65535) : entry.names;
    for (let a = 0; a < names.length; a++) {
      const all = tokenizeNormalized(normalizeName(names[a]));
      if (all.length === 0) continue;
      const ids = all.map((t) => tokens.id(t));
      let maybeLegalForm = false;
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === tokenFold.length) {
          const fold = folds.id(foldToken(all[i]));
          tokenFold.push(fold);
          if (fold === foldLegal.length) foldLegal.push(isLegalFormFold(folds.texts[fold]) ? 1 : 0);
        }
        if (foldLegal.get(tokenFold.get(ids[i])) === 1) maybeLegalForm = true;
      }
      // Most names hold no word of any legal-form phrase: the mask (and its arrays) is worked out only for the rest.
      let kept = ids;
      if (maybeLegalForm) {
        const mask = legalFormMask(ids.map((id) => folds.texts[tokenFold.get(id)]));
        kept = ids.filter((_, i) => !mask[i]);
      }
      if (kept.length > MAX_NAME_TOKENS) kept = kept.slice(0, MAX_NAME_TOKENS);
      if (names.length > 1) {
        const key = kept.join(',');
        if (seenNames.has(key)) continue; // the same name twice in one entry (FtM name + alias) adds nothing
        seenNames.add(key);
      }
      nameEntry.push(e);
      nameAlias.push(a);
      nameTokStart.push(nameTokens.length);
      for (const id of kept) nameTokens.push(id);
    }
    indexIdentifiers(entry, e, identifiers);
    // After every entry: one with hundreds of aliases costs milliseconds, and a yield costs well under a microsecond.
    yield;
  }
  const nameCount = nameEntry.length;
  entryNameStart[entries.length] = nameCount;
  nameTokStart.push(nameTokens.length);

  const tokenFoldArr = tokenFold.finish();
  const nameTokStartArr = nameTokStart.finish();
  const nameTokensArr = nameTokens.finish();
  const nameEntryArr = nameEntry.finish();
  const foldCount = folds.texts.length;
  // Longest written token per fold: "CCC" folds to "k" but is not an initial.
  const foldRawLen = new Uint8Array(foldCount);
  for (let t = 0; t < tokens.texts.length; t++) {
    const f = tokenFoldArr[t];
    foldRawLen[f] = Math.max(foldRawLen[f], Math.min(255, tokens.texts[t].length));
    if (t % SLICE === 0) yield;
  }

  // Document frequency counts entries, not names: thirty aliases of one company must not make its name common.
  const df = new Uint32Array(foldCount);
  const entryStamp = new Int32Array(foldCount).fill(-1);
  const postRows = new U32Builder(nameTokensArr.length + 1);
  const postVals = new U32Builder(nameTokensArr.length + 1);
  const nameStamp = new Int32Array(foldCount).fill(-1);
  for (let n = 0; n < nameCount; n++) {
    const e = nameEntryArr[n];
    for (let k = nameTokStartArr[n]; k < nameTokStartArr[n + 1]; k++) {
      const f = tokenFoldArr[nameTokensArr[k]];
      if (entryStamp[f] !== e) {
        entryStamp[f] = e;
        df[f]++;
      }
      if (nameStamp[f] !== n) {
        nameStamp[f] = n;
        postRows.push(f);
        postVals.push(n);
      }
    }
    if (n % SLICE === 0) yield;
  }
  const entryCount = Math.max(1, entries.length);
  const foldWeight = new Float32Array(foldCount);
  const foldPatronymic = new Uint8Array(foldCount);
  for (let f = 0; f < foldCount; f++) {
    const text = folds.texts[f];
    // Initials and two-letter particles (al, el, de, bin) identify nobody even when rare in this list.
    const shortFactor = foldRawLen[f] === 1 ? 0.3 : foldRawLen[f] === 2 ? 0.6 : 1;
    foldWeight[f] = Math.log(1 + entryCount / Math.max(1, df[f])) * shortFactor;
    foldPatronymic[f] = isPatronymicFold(text) ? 1 : 0;
    if (f % SLICE === 0) yield;
  }
  const postings = yield* toCsrSteps(postRows, postVals, foldCount);

  const nameWeight = new Float32Array(nameCount);
  nameStamp.fill(-1);
  for (let n = 0; n < nameCount; n++) {
    let w = 0;
    for (let k = nameTokStartArr[n]; k < nameTokStartArr[n + 1]; k++) {
      const f = tokenFoldArr[nameTokensArr[k]];
      if (nameStamp[f] !== n) {
        nameStamp[f] = n;
        w += foldWeight[f];
      }
    }
    nameWeight[n] = w;
    if (n % SLICE === 0) yield;
  }

  const keys = new Interner();
  const keyRows = new U32Builder(foldCount * 4);
  const keyVals = new U32Builder(foldCount * 4);
  for (let f = 0; f < foldCount; f++) {
    for (const k of retrievalKeys(folds.texts[f])) {
      keyRows.push(keys.id(k));
      keyVals.push(f);
    }
    if (f % 16 === 0) yield; // retrieval keys with their one-edit neighbours are the costliest per-fold step
  }
  const keyCsr = yield* toCsrSteps(keyRows, keyVals, keys.texts.length);

  return {
    entries,
    nameCount,
    nameEntry: nameEntryArr,
    entryNameStart,
    nameAlias: new Uint16Array(nameAlias.finish()),
    nameTokStart: nameTokStartArr,
    nameTokens: nameTokensArr,
    nameWeight,
    tokenText: tokens.texts,
    tokenFold: tokenFoldArr,
    foldText: folds.texts,
    foldIds: folds.ids,
    foldWeight,
    foldPatronymic,
    postStart: postings.start,
    postNames: postings.values,
    keyIds: keys.ids,
    keyStart: keyCsr.start,
    keyFolds: keyCsr.values,
    identifiers,
    maxWeight: Math.log(1 + entryCount),
    commonWeight: Math.log(1 + entryCount / Math.max(20, entryCount * 0.002)),
  };
}

function indexIdentifiers(entry: EntityEntry, e: number, into: Map<string, number[]>): void {
  const ids = entry.identifiers ?? [];
  for (let i = 0; i < ids.length && i < 256; i++) {
    const value = normalizeIdentifier(ids[i].value ?? '', ids[i].type);
    if (value.length < MIN_IDENTIFIER_LENGTH) continue;
    const list = into.get(value);
    if (list === undefined) into.set(value, [e * 256 + i]);
    else list.push(e * 256 + i);
  }
}
