import type { DataSource } from 'typeorm';
import type { DeclarationInput } from '../screening/declaration-input';
import type { EntityEntry, GoodsEntry } from '../domain/list-entry';
import { partiesOf } from '../screening/declaration-screening';
import { normalizeHsCode } from '../screening/hs-code';
import { EntityListIndex, PartyMatcher } from '../screening/matching';
import { readLinks } from '../lists/links.repository';
import { readEntityEntriesById } from '../lists/entries.repository';
import { changedEntityEntries, changedGoodsEntries } from '../lists/version-diff.repository';
import { OwnershipGraph } from '../screening/ownership/graph';
import { buildListGraph, type GraphPolicy } from '../screening/ownership/list-graph';
import { parseAddress } from '../screening/matching/address';
import type { AddressIndex } from '../screening/matching/address-index';

/**
 * What a list version changed, ready to check declarations against: a party matcher over only the added or modified
 * entries of an entity list, or the added or modified prefixes of a goods list. Checking a declaration against the
 * delta is far cheaper than screening it in full; only declarations it hits are screened in full.
 */
export class DeltaScreen {
  private constructor(
    readonly listId: string,
    readonly size: number,
    private readonly matcher: PartyMatcher | null,
    private readonly prefixes: ReadonlySet<string>,
    private readonly minScore: number,
    /** The delta's addresses: a changed entry whose new address a declared party shares is affected too. */
    private readonly addresses: AddressIndex | null = null,
  ) {}

  static forEntities(listId: string, versionId: string, entries: EntityEntry[], minScore: number): DeltaScreen {
    const matcher = entries.length ? new PartyMatcher() : null;
    const index = entries.length ? EntityListIndex.build(listId, versionId, entries) : null;
    if (index) matcher?.setList(index);
    return new DeltaScreen(listId, entries.length, matcher, new Set(), minScore, index?.addresses ?? null);
  }

  static forGoods(listId: string, entries: GoodsEntry[]): DeltaScreen {
    return new DeltaScreen(listId, entries.length, null, new Set(entries.map((e) => e.prefix)), 1);
  }

  /**
   * Loads the entries of `versionId` that are new or whose content differs from `previousVersionId` (all when none),
   * plus the entries whose ownership verdict the new version's graph changed (an entity that became, or stopped being,
   * owned or controlled by listed parties, though its own record is unchanged).
   */
  static async load(
    dataSource: DataSource,
    run: { listId: string; versionId: string; previousVersionId: string | null; kind: 'goods' | 'entities' },
    minScore: number,
    graph?: GraphPolicy,
  ): Promise<DeltaScreen> {
    if (run.kind === 'entities') {
      const entries = await changedEntityEntries(dataSource, run.versionId, run.previousVersionId);
      const moved = await graphChanges(dataSource, run.versionId, run.previousVersionId, graph);
      const have = new Set(entries.map((e) => e.entryId));
      const missing = [...moved].filter((id) => !have.has(id));
      if (missing.length) {
        entries.push(...(await readEntityEntriesById(dataSource, run.versionId, missing)));
      }
      return DeltaScreen.forEntities(run.listId, run.versionId, entries, minScore);
    }
    return DeltaScreen.forGoods(
      run.listId,
      await changedGoodsEntries(dataSource, run.versionId, run.previousVersionId),
    );
  }

  /** Entry ids (goods: prefixes) of the delta that the declaration hits: its parties by name or identifier, its lines by code. */
  affected(d: DeclarationInput): Set<string> {
    const keys = new Set<string>();
    if (this.matcher) {
      for (const { party } of partiesOf(d)) {
        for (const m of this.matcher.screen(
          { name: party.name, country: party.country, identifiers: party.identifiers },
          { minScore: this.minScore, limit: 5 },
        )) {
          keys.add(m.entryId);
        }
        if (this.addresses && party.address) {
          for (const found of this.addresses.lookup(parseAddress(party.address)))
            keys.add(this.addresses.entry(found.entry).entryId);
        }
      }
    }
    if (this.prefixes.size) {
      for (const item of d.items) {
        const code = normalizeHsCode(item.hsCode);
        if (!code.ok) continue;
        for (let len = 2; len <= code.code.length; len += 1) {
          const prefix = code.code.slice(0, len);
          if (this.prefixes.has(prefix)) keys.add(prefix);
        }
      }
    }
    return keys;
  }
}

/** The graph of one version with just the entries its links name (targets or context decide who counts as listed). */
async function versionGraph(
  dataSource: DataSource,
  versionId: string,
  policy?: GraphPolicy,
): Promise<OwnershipGraph | undefined> {
  const links = await readLinks(dataSource, versionId);
  if (!links.length) return undefined;
  const ids = [...new Set(links.flatMap((l) => [l.fromId, l.toId]))];
  return buildListGraph(await readEntityEntriesById(dataSource, versionId, ids), links, policy).graph;
}

/** Entities whose ownership verdict differs between the previous version's graph and the new one's. */
async function graphChanges(
  dataSource: DataSource,
  versionId: string,
  previousVersionId: string | null,
  policy?: GraphPolicy,
): Promise<Set<string>> {
  const after = await versionGraph(dataSource, versionId, policy);
  const before = previousVersionId ? await versionGraph(dataSource, previousVersionId, policy) : undefined;
  if (!after && !before) return new Set();
  // No graph now but one before: every entity it named lost its verdict.
  return after ? OwnershipGraph.changedEntities(before, after) : OwnershipGraph.changedEntities(undefined, before!);
}
