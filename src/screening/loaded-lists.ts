import type { GoodsEntry, ListKind } from '../domain/list-entry';
import { PartyMatcher, type EntityListIndex, type PartyMatcherOptions } from './matching';
import type { HitSeverity } from './hits';
import type { OwnershipGraph, OwnershipVerdict } from './ownership/graph';

export interface GoodsHit extends GoodsEntry {
  listId: string;
  versionId: string;
}

export interface LoadedList {
  kind: ListKind;
  versionId: string;
  entities?: EntityListIndex;
  /** Content digest per entity entry: false-positive marks hold only while the entry is unchanged. */
  hashes?: Map<string, string>;
  goods?: GoodsEntry[];
  /** Entries that are context, not targets (topic-tagged sources only): matchable, never a hit by themselves. */
  context?: ReadonlySet<string>;
  /** Severity the rule set's targetTopics give a target of a topic-tagged source (absent: by match strength). */
  topicSeverity?: ReadonlyMap<string, HitSeverity>;
  /** The version's ownership and control graph, resolved; absent when the version has no links. */
  graph?: OwnershipGraph;
}

/**
 * Where screening gets the lists in force (src/lists/reference-index.ts provides it, wired at composition): at least
 * every version active when the call was made; may throw ListsLoadingError (503) while a new version loads.
 */
export interface LoadedListsSource {
  current(): Promise<LoadedLists>;
}

/**
 * One consistent, immutable set of loaded list versions: the party matcher, the goods prefix map and the versions
 * they hold, plus the list generation (see migration ListGeneration) they correspond to. A screening takes one
 * LoadedLists and uses only it, so what it matched and the listVersions it records always agree, even when a new
 * set is swapped in half-way through the request.
 */
export class LoadedLists {
  readonly matcher: PartyMatcher;
  private readonly goodsByPrefix = new Map<string, GoodsHit[]>();
  private readonly versionIds: Record<string, string>;

  constructor(
    readonly generation: number,
    readonly lists: ReadonlyMap<string, LoadedList>,
    matcherOptions: PartyMatcherOptions = {},
  ) {
    this.matcher = new PartyMatcher(matcherOptions);
    this.versionIds = Object.fromEntries([...lists].map(([id, l]) => [id, l.versionId]));
    for (const [listId, l] of lists) {
      if (l.entities) this.matcher.setList(l.entities);
      for (const e of l.goods ?? []) {
        const hit: GoodsHit = { ...e, listId, versionId: l.versionId };
        const bucket = this.goodsByPrefix.get(e.prefix);
        if (bucket) bucket.push(hit);
        else this.goodsByPrefix.set(e.prefix, [hit]);
      }
    }
  }

  static empty(): LoadedLists {
    return new LoadedLists(0, new Map());
  }

  /** Active version per list, as used for screening (recorded with every screening). */
  versions(): Record<string, string> {
    return { ...this.versionIds };
  }

  entryHash(listId: string, entryId: string): string | undefined {
    return this.lists.get(listId)?.hashes?.get(entryId);
  }

  /** True when the entry is a context record of its list (kept for the ownership graph, not listed). */
  isContext(listId: string, entryId: string): boolean {
    return this.lists.get(listId)?.context?.has(entryId) ?? false;
  }

  topicSeverity(listId: string, entryId: string): HitSeverity | undefined {
    return this.lists.get(listId)?.topicSeverity?.get(entryId);
  }

  /** What the list's ownership graph says about an entry: owned by or controlled by listed parties (a lookup). */
  ownership(listId: string, entryId: string): OwnershipVerdict | undefined {
    return this.lists.get(listId)?.graph?.verdict(entryId);
  }

  /** Every active goods entry whose prefix starts the code (digits only). */
  goodsFor(code: string): GoodsHit[] {
    const hits: GoodsHit[] = [];
    for (let len = 2; len <= code.length; len += 1) {
      const found = this.goodsByPrefix.get(code.slice(0, len));
      if (found) hits.push(...found);
    }
    return hits;
  }
}
