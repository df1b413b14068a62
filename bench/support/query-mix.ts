/**
 * A realistic query mix for latency benchmarks: names exactly as listed, variants of listed names (typo, word
 * order, romanisation, dropped patronymic, legal form), and names built from real parts that are not listed.
 */
import type { EntityEntry } from '../../src/domain/list-entry';
import { companyName, personName, type NameParts } from './name-parts';
import { dropPatronymic, legalFormSwap, pick, romanisationVariant, swapOrder, typo } from './variants';

export interface MixedQuery {
  name: string;
  kind: 'exact' | 'variant' | 'random';
}

export function queryMix(
  entries: readonly EntityEntry[],
  parts: NameParts,
  count: number,
  r: () => number,
): MixedQuery[] {
  const out: MixedQuery[] = [];
  while (out.length < count) {
    const roll = r();
    if (roll < 0.4) {
      const e = pick(r, entries);
      out.push({ name: pick(r, e.names), kind: 'exact' });
    } else if (roll < 0.8) {
      const e = pick(r, entries);
      out.push({ name: variantOf(pick(r, e.names), r), kind: 'variant' });
    } else {
      out.push({ name: r() < 0.7 ? personName(r, parts) : companyName(r, parts), kind: 'random' });
    }
  }
  return out;
}

function variantOf(name: string, r: () => number): string {
  const k = Math.floor(r() * 5);
  if (k === 0) return typo(name, r);
  if (k === 1) return swapOrder(name);
  if (k === 2) return romanisationVariant(name, r) ?? typo(name, r);
  if (k === 3) return dropPatronymic(name) || name;
  return legalFormSwap(name, r) ?? swapOrder(name);
}
