/**
 * An in-memory ScreeningContext for unit tests of the screening rules: the shipped CHPL goods list and rule set, the
 * HS2022 nomenclature, and real parties (the OFAC SDN 2025 sample and the UN consolidated list under test/fixtures),
 * loaded with the project's own importers into one LoadedLists, as the reference index would hold them.
 */
import { createReadStream } from 'node:fs';
import type { DeclarationInput } from '../../src/screening/declaration-input';
import { loadHsNomenclature } from '../../src/lists/hs-nomenclature';
import { importGoods } from '../../src/lists/importers/goods';
import type { GoodsEntry } from '../../src/domain/list-entry';
import { LoadedLists, type LoadedList } from '../../src/screening/loaded-lists';
import { seedPath } from '../../src/lists/seed';
import type { ScreeningContext } from '../../src/screening/declaration-screening';
import { EntityListIndex } from '../../src/screening/matching';
import { loadRuleset } from '../../src/screening/ruleset';
import { loadOfac, loadUn } from './fixture-lists';

export const CHPL_VERSION = 'chpl-v1';
export const SDN_VERSION = 'sdn-v1';
export const UN_VERSION = 'un-v1';

/** The CHPL as shipped (src/lists/seed-data/chpl_hs6_tiers.tsv): 6-digit HS codes, tiers 1-2 high, 3-4 medium. */
export async function loadChpl(): Promise<GoodsEntry[]> {
  const out: GoodsEntry[] = [];
  for await (const g of importGoods(createReadStream(seedPath('chpl_hs6_tiers.tsv')), '\t')) out.push(g);
  return out;
}

/** Lists: chpl (goods), ofac-sdn (2025 sample) and un, plus any extra goods lists given (id -> entries). */
export async function screeningContext(extraGoods: Record<string, GoodsEntry[]> = {}): Promise<ScreeningContext> {
  const [chpl, sdn, un] = await Promise.all([loadChpl(), loadOfac('ofac-sample-2025'), loadUn()]);
  const lists = new Map<string, LoadedList>([
    ['chpl', { kind: 'goods', versionId: CHPL_VERSION, goods: chpl }],
    [
      'ofac-sdn',
      { kind: 'entities', versionId: SDN_VERSION, entities: EntityListIndex.build('ofac-sdn', SDN_VERSION, sdn) },
    ],
    ['un', { kind: 'entities', versionId: UN_VERSION, entities: EntityListIndex.build('un', UN_VERSION, un) }],
    ...Object.entries(extraGoods).map(([id, goods]): [string, LoadedList] => [
      id,
      { kind: 'goods', versionId: `${id}-v1`, goods },
    ]),
  ]);
  return { index: new LoadedLists(1, lists), hs: loadHsNomenclature(), ruleset: loadRuleset(), today: '2026-06-15' };
}

/**
 * A Kazakh import of furniture from Turkey whose parties match no list entry (no hit at all); override any field.
 * Typed as the parsed declaration (countries upper-case, currencies checked), as screening receives it.
 */
export function cleanDeclaration(overrides: Partial<DeclarationInput> = {}): DeclarationInput {
  return {
    reference: 'UNIT-1',
    procedure: 'import',
    declarant: { name: 'Kedendik Broker LLP', country: 'KZ' },
    consignor: { name: 'Anadolu Mobilya Sanayi A.S.', country: 'TR' },
    consignee: { name: 'Astana Interiors LLP', country: 'KZ' },
    countryOfDispatch: 'TR',
    countryOfDestination: 'KZ',
    items: [
      {
        lineNo: 1,
        hsCode: '9403.60',
        description: 'Wooden office desks',
        countryOfOrigin: 'TR',
        value: { amount: 18000, currency: 'USD' },
      },
    ],
    ...overrides,
  };
}

/** One declaration line; override any field. */
export function line(
  hsCode: string,
  overrides: Partial<DeclarationInput['items'][number]> = {},
): DeclarationInput['items'][number] {
  return {
    lineNo: 1,
    hsCode,
    description: 'Goods',
    countryOfOrigin: 'CN',
    value: { amount: 5000, currency: 'USD' },
    ...overrides,
  };
}
