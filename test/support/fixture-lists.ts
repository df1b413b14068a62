/**
 * Loads the real list copies under test/fixtures/data through the project's own importers
 * (src/lists/importers), for the matching tests and benchmarks. It lives under test/support so unit tests never
 * import from bench/; the benchmarks import it from here.
 */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityEntry } from '../../src/domain/list-entry';
import { importEuFsfXml } from '../../src/lists/importers/eu-fsf-xml';
import { importFtmJsonl } from '../../src/lists/importers/ftm-jsonl';
import { importOfacSdn } from '../../src/lists/importers/ofac-sdn';
import { importUnXml } from '../../src/lists/importers/un-xml';

export const FIXTURE_DATA = join(__dirname, '..', 'fixtures', 'data', 'entities');

async function collect(it: AsyncIterable<EntityEntry>): Promise<EntityEntry[]> {
  const out: EntityEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** OFAC legacy CSV set in `dir` (sdn.csv required; alt/add/sdn_comments used when present). */
export function loadOfac(dir: 'ofac-sdn-2019' | 'ofac-sample-2025'): Promise<EntityEntry[]> {
  const base = join(FIXTURE_DATA, dir);
  const part = (file: string) => () => createReadStream(join(base, file));
  const parts: Record<string, () => NodeJS.ReadableStream> = { sdn: part('sdn.csv') };
  if (existsSync(join(base, 'alt.csv'))) parts.alt = part('alt.csv');
  if (existsSync(join(base, 'add.csv'))) parts.add = part('add.csv');
  if (existsSync(join(base, 'sdn_comments.csv'))) parts.comments = part('sdn_comments.csv');
  return collect(importOfacSdn(parts));
}

export function loadUn(): Promise<EntityEntry[]> {
  return collect(importUnXml(createReadStream(join(FIXTURE_DATA, 'un', 'UN_consolidated_2026-02-27.xml'))));
}

export function loadEuSample(): Promise<EntityEntry[]> {
  return collect(importEuFsfXml(createReadStream(join(FIXTURE_DATA, 'eu-fsf', 'eu_fsf_sample.xml'))));
}

export type FtmFile = 'yente_t1_eu_fsf_entities' | 'yente_zala_cluster_entities';

export function loadFtm(file: FtmFile): Promise<EntityEntry[]> {
  return collect(importFtmJsonl(createReadStream(join(FIXTURE_DATA, 'opensanctions', `${file}.ftm.json`))));
}
