/**
 * The addresses of one list version, for the address-only indicator: which listed entries sit at a declared address,
 * whatever their names. Only specific addresses are indexed (a city is shared by millions and never identifies
 * anyone); each is keyed by street-token stem + house number and street-token stem + postcode (addressKeys), so a
 * lookup is a handful of Map reads, and each candidate is then verified by compareAddresses. Memory: a few keys per
 * specific address (3,682 of the 8,614 addresses of SDN 2019 + UN) plus one packed number per posting; the parsed
 * forms are not kept, candidates are parsed again when looked up (there are few). The first four letters of a street
 * token's fold are its key: case endings and romanisation variants keep them, but a typo among them makes the
 * address-only lookup miss (a name match still compares every address of its entry).
 */
import type { EntityEntry, ListAddress } from '../../domain/list-entry';
import { addressKeys, compareAddresses, parseAddress, type AddressComparison, type ParsedAddress } from './address';

const HAS_DIGIT = /\d/;

export interface ListedAddressMatch {
  /** Position of the entry in the index's entries. */
  entry: number;
  address: ListAddress;
  parsed: ParsedAddress;
  comparison: AddressComparison;
}

export class AddressIndex {
  private constructor(
    private readonly entries: readonly EntityEntry[],
    /** Key -> entry index * 256 + index in entry.addresses. */
    private readonly postings: Map<string, number[]>,
    /** Entry id -> entry index, for the entries that have addresses only (name matches look their addresses up). */
    private readonly withAddresses: Map<string, number>,
    /** Number of indexed (specific) addresses, for diagnostics and tests. */
    readonly size: number,
  ) {}

  /** The build as a step generator (see index-builder.ts): the sliced build gives the event loop a turn at each yield. */
  static *steps(entries: readonly EntityEntry[]): Generator<void, AddressIndex> {
    const postings = new Map<string, number[]>();
    const withAddresses = new Map<string, number>();
    let size = 0;
    for (let e = 0; e < entries.length; e++) {
      const addresses = entries[e].addresses;
      // Parsing costs tens of microseconds an address: a turn every 64 entries keeps slices within the budget.
      if ((e & 63) === 0) yield;
      if (!addresses || addresses.length === 0) continue;
      withAddresses.set(entries[e].entryId, e);
      // An entry with more than 256 addresses keeps its first 256 indexed (none on the real lists has 50).
      for (let a = 0; a < Math.min(addresses.length, 256); a++) {
        // Specific needs a house number or a postcode, both with digits: an address without one is not parsed at all
        // (half of the list addresses are a city or a district only).
        const { street, full, city, postcode } = addresses[a];
        if (!HAS_DIGIT.test(`${street ?? ''}|${full ?? ''}|${city ?? ''}|${postcode ?? ''}`)) continue;
        const keys = addressKeys(parseAddress(addresses[a]));
        if (keys.length > 0) size++;
        for (const key of keys) {
          const list = postings.get(key);
          if (list) list.push(e * 256 + a);
          else postings.set(key, [e * 256 + a]);
        }
      }
    }
    return new AddressIndex(entries, postings, withAddresses, size);
  }

  /** The listed addresses of an entry (none when it has none). */
  addressesOf(entryId: string): readonly ListAddress[] {
    const e = this.withAddresses.get(entryId);
    return e === undefined ? [] : (this.entries[e].addresses ?? []);
  }

  entry(e: number): EntityEntry {
    return this.entries[e];
  }

  /** Listed addresses that match `query` at building level (or street + postcode): best first, one per entry. */
  lookup(query: ParsedAddress): ListedAddressMatch[] {
    const seen = new Set<number>();
    const found = new Map<number, ListedAddressMatch>();
    for (const key of addressKeys(query)) {
      for (const packed of this.postings.get(key) ?? []) {
        if (seen.has(packed)) continue;
        seen.add(packed);
        const e = Math.floor(packed / 256);
        const address = this.entries[e].addresses![packed % 256];
        const parsed = parseAddress(address);
        const comparison = compareAddresses(query, parsed);
        if (!comparison.specific) continue;
        const held = found.get(e);
        if (!held || (held.comparison.level !== 'building' && comparison.level === 'building'))
          found.set(e, { entry: e, address, parsed, comparison });
      }
    }
    return [...found.values()].sort(
      (a, b) =>
        (a.comparison.level === 'building' ? 0 : 1) - (b.comparison.level === 'building' ? 0 : 1) || a.entry - b.entry,
    );
  }
}

/**
 * The best of an entry's listed addresses against a declared one (a candidate already found by name or identifier:
 * every address is compared, not only the indexed keys).
 */
export function bestAddressMatch(
  query: ParsedAddress,
  addresses: readonly ListAddress[] | undefined,
): { address: ListAddress; parsed: ParsedAddress; comparison: AddressComparison } | undefined {
  const rank = { building: 4, 'street-postcode': 3, street: 2, city: 1, none: 0 } as const;
  let best: { address: ListAddress; parsed: ParsedAddress; comparison: AddressComparison } | undefined;
  for (const address of addresses ?? []) {
    const parsed = parseAddress(address);
    const comparison = compareAddresses(query, parsed);
    if (comparison.level === 'none') continue;
    if (!best || rank[comparison.level] > rank[best.comparison.level]) best = { address, parsed, comparison };
  }
  return best;
}
