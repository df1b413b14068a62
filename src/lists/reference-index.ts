import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { EntityListIndex, type PartyMatcher } from '../screening/matching';
import type { EntityEntry, ListKind } from '../domain/list-entry';
import { readEntityEntries, readGoodsEntries } from './entries.repository';
import { readActiveLists, readListGeneration } from './lists.repository';
import { FreshRun } from './fresh-run';
import { readLinks } from './links.repository';
import { buildListGraphSliced, type GraphPolicy } from '../screening/ownership/list-graph';
import { ListsLoadingError } from './lists.errors';
import { LoadedLists, type GoodsHit, type LoadedList, type LoadedListsSource } from '../screening/loaded-lists';

export interface ReferenceIndexOptions {
  /** How long a screening waits for this process to load a newly activated version before answering 503. */
  waitMs: number;
  /** Party queries whose answers the matcher of each loaded set keeps (MATCH_CACHE_QUERIES; 0 or absent: none). */
  cachedQueries?: number;
  /** The rule set's targetTopics and ownership threshold: which entries are targets, and the 50% rule. */
  graph?: GraphPolicy;
}

/**
 * The in-memory view of every active list in this process, with read-your-writes across processes. Every change of a
 * list's active version bumps `list_generation` in the same transaction (a trigger, whatever the path); current()
 * reads that number (one tiny query, shared by concurrent callers) and, when this process holds an older generation,
 * refreshes and waits for it (bounded, then 503), so a screening never runs on an older index than the one in force
 * when its request arrived. refresh() builds changed lists in slices off the event loop and swaps the complete new
 * set in at once; the old set keeps serving until then.
 */
export class ReferenceIndex implements LoadedListsSource {
  private view = LoadedLists.empty();
  private readonly generationRead: FreshRun<number>;
  private readonly refreshRun: FreshRun<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly options: ReferenceIndexOptions = { waitMs: 5000 },
  ) {
    this.generationRead = new FreshRun(() => this.readGeneration());
    this.refreshRun = new FreshRun(() => this.load());
  }

  /** The loaded set as it is now, without checking the database (tests, diagnostics, readiness body). */
  get loaded(): LoadedLists {
    return this.view;
  }

  get matcher(): PartyMatcher {
    return this.view.matcher;
  }

  versions(): Record<string, string> {
    return this.view.versions();
  }

  entryHash(listId: string, entryId: string): string | undefined {
    return this.view.entryHash(listId, entryId);
  }

  goodsFor(code: string): GoodsHit[] {
    return this.view.goodsFor(code);
  }

  /**
   * The loaded set to screen with: at least every version active when this call was made. Waits for a refresh when
   * this process is behind; throws ListsLoadingError (503) when the refresh takes longer than waitMs. `generation`:
   * the caller read list_generation itself after its request arrived (the Idempotency-Key claim does, in the same
   * statement), so this call need not read it again.
   */
  async current(generation?: number): Promise<LoadedLists> {
    const wanted = generation ?? (await this.generationRead.run());
    if (this.view.generation >= wanted) return this.view;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ListsLoadingError(Math.max(1, Math.ceil(this.options.waitMs / 1000)))),
        this.options.waitMs,
      );
    });
    try {
      return await Promise.race([this.catchUp(wanted), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True when this process holds every active version (readiness); starts a refresh when it does not. */
  async holdsActiveVersions(): Promise<boolean> {
    const wanted = await this.generationRead.run();
    if (this.view.generation >= wanted) return true;
    this.refresh().catch((err) => this.logger.error({ err }, 'list index refresh failed'));
    return false;
  }

  /** Loads every list whose active version changed; returns how many were (re)loaded or dropped. */
  refresh(): Promise<number> {
    return this.refreshRun.run();
  }

  private async catchUp(wanted: number): Promise<LoadedLists> {
    while (this.view.generation < wanted) await this.refresh();
    return this.view;
  }

  private async readGeneration(): Promise<number> {
    return readListGeneration(this.dataSource);
  }

  private async load(): Promise<number> {
    // One statement, one snapshot: the generation and the active versions it stands for.
    const rows = await readActiveLists(this.dataSource);
    const generation = Number(rows[0].generation);
    const before = this.view;
    if (generation <= before.generation) return 0;
    const next = new Map<string, LoadedList>();
    let changed = 0;
    for (const row of rows) {
      if (!row.id || !row.active_version_id || !row.kind) continue;
      const held = before.lists.get(row.id);
      if (held?.versionId === row.active_version_id) {
        next.set(row.id, held);
        continue;
      }
      next.set(row.id, await this.loadList(row.id, row.kind, row.active_version_id));
      changed += 1;
    }
    changed += [...before.lists.keys()].filter((id) => !next.has(id)).length;
    // A refresh that started earlier cannot overwrite a newer set (generations only move forward).
    if (this.view.generation < generation)
      this.view = new LoadedLists(generation, next, { cachedQueries: this.options.cachedQueries });
    return changed;
  }

  private async loadList(listId: string, kind: ListKind, versionId: string): Promise<LoadedList> {
    const started = Date.now();
    let loaded: LoadedList;
    if (kind === 'entities') {
      const entries: EntityEntry[] = [];
      const hashes = new Map<string, string>();
      for await (const batch of readEntityEntries(this.dataSource, versionId)) {
        for (const { entry, hash } of batch) {
          entries.push(entry);
          hashes.set(entry.entryId, hash);
        }
      }
      const entities = await EntityListIndex.buildSliced(listId, versionId, entries);
      // The graph is loaded with the entries of the same version, so it is in force exactly when they are.
      const graph = await buildListGraphSliced(
        entries,
        await readLinks(this.dataSource, versionId),
        this.options.graph,
      );
      loaded = { kind, versionId, entities, hashes, ...graph };
    } else {
      loaded = { kind, versionId, goods: await readGoodsEntries(this.dataSource, versionId) };
    }
    this.logger.info({ listId, versionId, ms: Date.now() - started }, 'list index loaded');
    return loaded;
  }
}
