/**
 * One version of one entity list, indexed for party screening. Immutable once built; a new list version is a
 * new index (PartyMatcher.setList swaps it in).
 */
import type { EntityEntry } from '../../domain/list-entry';
import { AddressIndex } from './address-index';
import { entryCountries } from './countries';
import { CandidateSearch } from './candidates';
import { buildIndexData, buildIndexDataSliced, type IndexData } from './index-builder';
import { NameScorer } from './name-scorer';
import { TokenComparer } from './token-similarity';
import { runSliced, runToEnd } from './typed-buffers';

export class EntityListIndex {
  /** Scratch state for queries: the engine is synchronous, so one set per index is enough. */
  readonly comparer: TokenComparer;
  readonly search: CandidateSearch;
  readonly scorer: NameScorer;

  private constructor(
    readonly listId: string,
    readonly versionId: string,
    readonly data: IndexData,
    readonly addresses: AddressIndex,
  ) {
    this.comparer = new TokenComparer(data.foldText.length);
    this.search = new CandidateSearch(data, this.comparer);
    this.scorer = new NameScorer(this.comparer);
  }

  static build(listId: string, versionId: string, entries: Iterable<EntityEntry>): EntityListIndex {
    const data = buildIndexData(entries);
    const index = new EntityListIndex(listId, versionId, data, runToEnd(AddressIndex.steps(data.entries)));
    runToEnd(index.search.precomputeSteps());
    return index;
  }

  /** The same index, built in slices that leave the event loop free between them (what a serving process uses). */
  static async buildSliced(
    listId: string,
    versionId: string,
    entries: Iterable<EntityEntry>,
    budgetMs?: number,
  ): Promise<EntityListIndex> {
    const data = await buildIndexDataSliced(entries, budgetMs);
    const addresses = await runSliced(AddressIndex.steps(data.entries), budgetMs);
    const index = new EntityListIndex(listId, versionId, data, addresses);
    await runSliced(index.search.precomputeSteps(), budgetMs);
    return index;
  }

  /** Each entry's countries as alpha-2 codes (entryCountries), computed the first time the entry is a candidate. */
  countryCodes(e: number): readonly string[] {
    this.countryCodesOf ??= new Array(this.data.entries.length);
    return (this.countryCodesOf[e] ??= entryCountries(this.data.entries[e].countries));
  }

  private countryCodesOf: (readonly string[])[] | undefined;

  /** Drops the similar-token results the index keeps across queries (memory is bounded anyway). */
  clearCaches(): void {
    this.search.clearCache();
  }

  /** Number of entries. */
  get size(): number {
    return this.data.entries.length;
  }

  /** Number of indexed names (primary names and aliases, duplicates within an entry removed). */
  get nameCount(): number {
    return this.data.nameCount;
  }

  /** Distinct normalised tokens and folds: a measure of the vocabulary the index interned. */
  get vocabularySize(): { tokens: number; folds: number; keys: number } {
    return { tokens: this.data.tokenText.length, folds: this.data.foldText.length, keys: this.data.keyIds.size };
  }
}
