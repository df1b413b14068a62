/**
 * The lists the quality evaluation indexes, each under a stable list id that the labelled set refers to
 * ("listId:entryId").
 */
import type { EntityEntry } from '../../src/domain/list-entry';
import { loadEuSample, loadFtm, loadOfac, loadUn } from '../../test/support/fixture-lists';

export interface NamedList {
  listId: string;
  entries: EntityEntry[];
}

export async function qualityLists(): Promise<NamedList[]> {
  return [
    { listId: 'ofac-sdn-2019', entries: await loadOfac('ofac-sdn-2019') },
    { listId: 'ofac-2025', entries: await loadOfac('ofac-sample-2025') },
    { listId: 'un', entries: await loadUn() },
    { listId: 'eu-fsf', entries: await loadEuSample() },
    { listId: 'ftm-t1', entries: await loadFtm('yente_t1_eu_fsf_entities') },
    { listId: 'ftm-zala', entries: await loadFtm('yente_zala_cluster_entities') },
  ];
}

export const CYRILLIC = /[\u0400-\u04ff]/;
export const LATIN = /[A-Za-z]/;
