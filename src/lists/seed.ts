import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../audit/audit.service';
import type { ListsService } from './lists.service';
import { countListsById, listsAwaitingSeed } from './lists.repository';

/**
 * The lists shipped with the service, loaded into an empty database so a newcomer can screen at once: the CHPL goods
 * list and the UN Security Council consolidated list (dated; an admin uploads or fetches newer versions). Provenance
 * in seed-data/SOURCES.md.
 */
export const SEED_LISTS = [
  {
    listId: 'chpl',
    name: 'Common High Priority Items List (EU/US/UK/JP, 2024-02-23)',
    format: 'goods-tsv' as const,
    file: 'chpl_hs6_tiers.tsv',
  },
  {
    listId: 'un',
    name: 'UN Security Council Consolidated List (2026-02-27)',
    format: 'un-xml' as const,
    file: 'UN_consolidated_2026-02-27.xml',
  },
];

/** The data stays in src/lists/seed-data; compiled code runs from dist/src/lists, three levels below the root. */
export function seedPath(file: string): string {
  const candidates = [
    join(__dirname, 'seed-data', file),
    join(__dirname, '..', '..', '..', 'src', 'lists', 'seed-data', file),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`seed file ${file} not found in ${candidates.join(' or ')}`);
  return found;
}

/** Seeds the lists an empty database lacks; returns each one seeded with the milliseconds it took. */
export async function seedLists(
  dataSource: DataSource,
  lists: ListsService,
): Promise<{ listId: string; ms: number }[]> {
  const seeded: { listId: string; ms: number }[] = [];
  for (const seed of SEED_LISTS) {
    if ((await countListsById(dataSource, seed.listId)) > 0) continue;
    const started = Date.now();
    try {
      const version = await lists.createVersion(
        SYSTEM_ACTOR,
        { listId: seed.listId, name: seed.name, format: seed.format, source: 'seed' },
        [{ name: 'file', content: readFileSync(seedPath(seed.file)) }],
      );
      await lists.importStoredVersion(version.id);
      seeded.push({ listId: seed.listId, ms: Date.now() - started });
    } catch (err) {
      // Another process seeded it at the same moment.
      if ((err as { code?: string }).code !== '23505') throw err;
    }
  }
  return seeded;
}

/**
 * Waits (bounded) while another process is still importing a seed list, so a process started next to the one that
 * seeds does not report ready, or screen, before the shipped lists are in force. Returns the lists still pending.
 */
export async function awaitSeeds(dataSource: DataSource, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await listsAwaitingSeed(
      dataSource,
      SEED_LISTS.map((s) => s.listId),
    );
    if (pending.length === 0 || Date.now() > deadline) return pending;
    await new Promise((r) => setTimeout(r, 100));
  }
}
