import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { EntityListIndex, PartyMatcher } from '../screening/matching';
import type { GoodsEntry } from './list-entry';
import type { ListKind } from './list.entity';
import { readEntityEntries, readGoodsEntries } from './entries.repository';
import type { EntityEntry } from './list-entry';

export interface GoodsHit extends GoodsEntry {
  listId: string;
  versionId: string;
}

/**
 * The in-memory view of every active list in this process: the party matcher and a prefix map of goods entries.
 * refresh() compares the active versions in the database with what is loaded and rebuilds only the lists that
 * changed, so every API and worker process follows an activation without a restart.
 */
export class ReferenceIndex {
  readonly matcher = new PartyMatcher();
  private loaded = new Map<string, { kind: ListKind; versionId: string }>();
  /** Content digest per entity entry, per list: false-positive marks hold only while the entry is unchanged. */
  private entryHashes = new Map<string, Map<string, string>>();
  private goodsByList = new Map<string, { versionId: string; entries: GoodsEntry[] }>();
  private goodsByPrefix = new Map<string, GoodsHit[]>();

  constructor(private readonly dataSource: DataSource, private readonly logger: Logger) {}

  /** Active version per list, as used for screening now (recorded with every screening). */
  versions(): Record<string, string> {
    return Object.fromEntries([...this.loaded].map(([id, v]) => [id, v.versionId]));
  }

  entryHash(listId: string, entryId: string): string | undefined {
    return this.entryHashes.get(listId)?.get(entryId);
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

  /** Reloads lists whose active version changed; returns how many were reloaded. */
  async refresh(): Promise<number> {
    const rows: { id: string; kind: ListKind; active_version_id: string | null }[] = await this.dataSource.query(
      `SELECT id, kind, active_version_id FROM lists`);
    let changed = 0;
    const present = new Set<string>();
    for (const row of rows) {
      if (!row.active_version_id) continue;
      present.add(row.id);
      if (this.loaded.get(row.id)?.versionId === row.active_version_id) continue;
      const started = Date.now();
      if (row.kind === 'entities') {
        const entries: EntityEntry[] = [];
        const hashes = new Map<string, string>();
        for await (const batch of readEntityEntries(this.dataSource, row.active_version_id)) {
          for (const { entry, hash } of batch) {
            entries.push(entry);
            hashes.set(entry.entryId, hash);
          }
        }
        this.matcher.setList(EntityListIndex.build(row.id, row.active_version_id, entries));
        this.entryHashes.set(row.id, hashes);
      } else {
        this.goodsByList.set(row.id, { versionId: row.active_version_id, entries: await readGoodsEntries(this.dataSource, row.active_version_id) });
      }
      this.loaded.set(row.id, { kind: row.kind, versionId: row.active_version_id });
      this.logger.info({ listId: row.id, versionId: row.active_version_id, ms: Date.now() - started }, 'list index loaded');
      changed += 1;
    }
    for (const [id] of this.loaded) {
      if (present.has(id)) continue;
      this.loaded.delete(id);
      this.matcher.removeList(id);
      this.entryHashes.delete(id);
      this.goodsByList.delete(id);
      changed += 1;
    }
    if (changed) this.rebuildGoodsPrefixes();
    return changed;
  }

  private rebuildGoodsPrefixes(): void {
    const map = new Map<string, GoodsHit[]>();
    for (const [listId, { versionId, entries }] of this.goodsByList) {
      for (const e of entries) {
        const hit: GoodsHit = { ...e, listId, versionId };
        const bucket = map.get(e.prefix);
        if (bucket) bucket.push(hit);
        else map.set(e.prefix, [hit]);
      }
    }
    this.goodsByPrefix = map;
  }
}
