/**
 * Party addresses against list addresses (issue 13). Two effects, both explained:
 * - a name (or identifier) match whose listed entry has the declared address raises the match's score by a bounded
 *   amount (ADDRESS_BOOST at building level, less for street + postcode), shown as a score adjustment;
 * - a declared address that is a listed party's specific address (street and house number, or street and postcode),
 *   under another name, is a REVIEW-level indicator (`evidence.rule: 'listed-address'`): front companies registered
 *   at a listed company's premises. A shared city, region or country never raises anything.
 */
import type { PartyInput } from './declaration-input';
import type { LoadedLists } from './loaded-lists';
import { hitId, type Hit } from './hits';
import type { PartyMatch } from './matching';
import {
  addressText,
  describeParsed,
  parseAddress,
  type AddressComparison,
  type ListAddress,
  type ParsedAddress,
} from './matching/address';
import { bestAddressMatch } from './matching/address-index';
import type { Ruleset } from './ruleset';

/** What the same building adds to a name match's score; street + postcode adds less (the house may differ). */
export const ADDRESS_BOOST = 0.05;
export const ADDRESS_BOOST_STREET_POSTCODE = 0.03;
/** A boosted name match stays below an identifier's certainty. */
const BOOSTED_CEILING = 0.99;
/** Address-only indicators per party: a business centre can host many listed companies; five make the point. */
const MAX_LISTED_ADDRESS_HITS = 5;

export interface DeclaredAddress {
  text: string;
  parsed: ParsedAddress;
}

export function declaredAddress(party: PartyInput): DeclaredAddress | undefined {
  if (!party.address) return undefined;
  return { text: party.address, parsed: parseAddress(party.address) };
}

/**
 * The lowest name score worth asking the matcher for: a specific address can lift a match just under the review band
 * into it, so those are fetched too (and dropped again unless the address lifts them).
 */
export function nameMatchFloor(reviewBand: number, address: DeclaredAddress | undefined): number {
  return address?.parsed.specific ? Math.max(0, reviewBand - ADDRESS_BOOST) : reviewBand;
}

export interface AddressEvidence {
  declared: string;
  declaredParsed: string;
  listed: ListAddress;
  listedText: string;
  listedParsed: string;
  level: AddressComparison['level'];
  reasons: string[];
  boost: number;
}

function evidenceOf(
  address: DeclaredAddress,
  listed: ListAddress,
  parsed: ParsedAddress,
  comparison: AddressComparison,
  boost: number,
): AddressEvidence {
  return {
    declared: address.text,
    declaredParsed: describeParsed(address.parsed),
    listed,
    listedText: addressText(listed),
    listedParsed: describeParsed(parsed),
    level: comparison.level,
    reasons: comparison.reasons,
    boost,
  };
}

/**
 * The match with its score raised when the listed entry has the declared address at building level (or street and
 * postcode), the raise recorded as an adjustment of the explanation; unchanged otherwise.
 */
export function withAddressMatch(
  m: PartyMatch,
  address: DeclaredAddress | undefined,
  lists: LoadedLists,
): { match: PartyMatch; address?: AddressEvidence } {
  if (!address?.parsed.specific) return { match: m };
  const index = lists.lists.get(m.listId)?.entities;
  const best = index && bestAddressMatch(address.parsed, index.addresses.addressesOf(m.entryId));
  if (!best?.comparison.specific) return { match: m };
  const wanted = best.comparison.level === 'building' ? ADDRESS_BOOST : ADDRESS_BOOST_STREET_POSTCODE;
  const score = Math.round(Math.max(m.score, Math.min(BOOSTED_CEILING, m.score + wanted)) * 10000) / 10000;
  const boost = Math.round((score - m.score) * 10000) / 10000;
  const evidence = evidenceOf(address, best.address, best.parsed, best.comparison, boost);
  if (boost <= 0) return { match: m, address: evidence };
  const reason = `listed address "${evidence.listedText}" matches the declared address (${best.comparison.reasons.join(', ')})`;
  return {
    match: {
      ...m,
      score,
      explanation: { ...m.explanation, adjustments: [...m.explanation.adjustments, { reason, delta: boost }] },
    },
    address: evidence,
  };
}

/** The sentence a party hit's explanation gains when the address agrees. */
export function addressSentence(e: AddressEvidence): string {
  const what = e.level === 'building' ? 'same street and house number' : 'same street and postcode';
  return `; the declared address "${e.declared}" is the listed address "${e.listedText}" (${what}${e.boost > 0 ? `, score +${e.boost.toFixed(2)}` : ''})`;
}

/**
 * Indicators for a declared address that is a listed party's specific address, for entries the party did not already
 * match by name or identifier (those carry the address in their own hit).
 */
export function listedAddressHits(
  subject: string,
  party: PartyInput,
  address: DeclaredAddress | undefined,
  matched: ReadonlySet<string>,
  lists: LoadedLists,
  ruleset: Ruleset,
): Hit[] {
  if (!address?.parsed.specific) return [];
  const hits: Hit[] = [];
  for (const [listId, list] of lists.lists) {
    const index = list.entities;
    if (!index) continue;
    for (const found of index.addresses.lookup(address.parsed)) {
      const entry = index.addresses.entry(found.entry);
      // A context record (FtM: kept because a listed party owns or runs it) is not listed: its premises are no finding.
      if (matched.has(`${listId}|${entry.entryId}`) || lists.isContext(listId, entry.entryId)) continue;
      const evidence = evidenceOf(address, found.address, found.parsed, found.comparison, 0);
      const what =
        found.comparison.level === 'building' ? 'the same street and house number' : 'the same street and postcode';
      hits.push({
        id: hitId('indicator', subject, `listed-address:${listId}|${entry.entryId}`),
        kind: 'indicator',
        severity: 'medium',
        score: 1,
        subject: `${subject}.address`,
        listId,
        versionId: list.versionId,
        entryId: entry.entryId,
        matched: evidence.listedText,
        explanation: `${subject} "${party.name}" declares the address "${address.text}", the address ${listId} lists for entry ${entry.entryId} "${entry.names[0]}" ("${evidence.listedText}"; ${what}: ${found.comparison.reasons.join(', ')}): a company at a listed party's premises may act for it`,
        evidence: {
          rule: 'listed-address',
          address: evidence,
          entry: { kind: entry.kind, names: entry.names, countries: entry.countries, programs: entry.programs },
        },
        // Exactly the review threshold: on its own it means "look" (REVIEW), never more.
        weight: ruleset.riskThresholds.review,
      });
    }
  }
  const rank = (h: Hit) => ((h.evidence?.address as AddressEvidence).level === 'building' ? 0 : 1);
  hits.sort((a, b) => rank(a) - rank(b) || a.listId!.localeCompare(b.listId!) || a.entryId!.localeCompare(b.entryId!));
  return hits.slice(0, MAX_LISTED_ADDRESS_HITS);
}
