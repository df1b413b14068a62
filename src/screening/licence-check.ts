import type { DeclarationInput, PartyInput } from './declaration-input';
import { normalizeIdentifier } from '../identifiers/validate';
import type { IdentifierType } from '../domain/list-entry';
import { normalizeHsCode } from './hs-code';
import type { CitedLicence } from './dossier';
import { stripLegalForms } from './matching/legal-forms';

type Item = DeclarationInput['items'][number];

/** Licence numbers are compared as brokers type them: trimmed, case-insensitive. */
export function licenceKey(number: string): string {
  return number.trim().toUpperCase();
}

export type LicenceProblem = 'unknown' | 'revoked' | 'expired' | 'not_yet_valid' | 'out_of_scope' | 'exhausted';
export type LicenceScope = 'hsCode' | 'destination' | 'holder' | 'unit' | 'currency';

export type LicenceCheck =
  | {
      ok: true;
      licence: CitedLicence;
      amount: number;
      remainingBefore: number | null;
      holderMatchedBy: 'identifier' | 'name';
      holderParty: 'consignor' | 'declarant';
    }
  | {
      ok: false;
      problem: LicenceProblem;
      scope?: LicenceScope;
      licence?: CitedLicence;
      amount?: number;
      remainingBefore?: number | null;
      reason: string;
    };

/** The amount a line draws on a licence, in the licence's measure (its quantity, or its value; the value when unlimited). */
export function lineAmount(licence: CitedLicence, item: Item): number | undefined {
  if (!licence.limit || licence.limit.kind === 'value') return item.value.amount;
  return item.quantity;
}

function holderMatch(licence: CitedLicence, party: PartyInput): 'identifier' | 'name' | null {
  const mine = licence.holder.identifiers ?? [];
  const theirs = party.identifiers ?? [];
  const commonType = mine.filter((a) => theirs.some((b) => b.type === a.type));
  if (commonType.length > 0) {
    // Both name a number of the same kind: the numbers decide (a same-named firm with another BIN is another firm).
    const same = commonType.some((a) =>
      theirs.some(
        (b) =>
          b.type === a.type &&
          normalizeIdentifier(a.type as IdentifierType, a.value) ===
            normalizeIdentifier(b.type as IdentifierType, b.value),
      ),
    );
    return same ? 'identifier' : null;
  }
  const norm = (name: string) => stripLegalForms(name).name;
  return norm(licence.holder.name) !== '' && norm(licence.holder.name) === norm(party.name) ? 'name' : null;
}

/**
 * Whether a cited licence covers a declaration line on a day: in force (not revoked, within its dates), in scope (an HS
 * prefix covers the line's code, the destination is one of its countries, its holder is the consignor or the declarant,
 * the line is measured in the limit's unit or currency), and with enough balance left. `alreadyClaimed` is what
 * earlier lines of the same declaration take from the same licence. Pure: screening and the release drawdown share it.
 */
export function checkLicence(
  licence: CitedLicence | undefined,
  number: string,
  item: Item,
  d: DeclarationInput,
  day: string,
  alreadyClaimed = 0,
): LicenceCheck {
  if (!licence) return { ok: false, problem: 'unknown', reason: `licence ${number} is not in the registry` };
  if (licence.revoked)
    return { ok: false, problem: 'revoked', licence, reason: `licence ${licence.number} has been revoked` };
  if (day > licence.validTo)
    return {
      ok: false,
      problem: 'expired',
      licence,
      reason: `licence ${licence.number} expired on ${licence.validTo}`,
    };
  if (day < licence.validFrom)
    return {
      ok: false,
      problem: 'not_yet_valid',
      licence,
      reason: `licence ${licence.number} is valid only from ${licence.validFrom}`,
    };
  const code = normalizeHsCode(item.hsCode);
  if (!code.ok || !licence.hsPrefixes.some((p) => code.code.startsWith(p))) {
    return {
      ok: false,
      problem: 'out_of_scope',
      scope: 'hsCode',
      licence,
      reason: `licence ${licence.number} does not cover HS ${code.ok ? code.code : item.hsCode} (it covers ${licence.hsPrefixes.join(', ')})`,
    };
  }
  if (!licence.destinationCountries.includes(d.countryOfDestination)) {
    return {
      ok: false,
      problem: 'out_of_scope',
      scope: 'destination',
      licence,
      reason: `licence ${licence.number} does not cover destination ${d.countryOfDestination}`,
    };
  }
  const byConsignor = holderMatch(licence, d.consignor);
  const byDeclarant = byConsignor ? null : holderMatch(licence, d.declarant);
  if (!byConsignor && !byDeclarant) {
    return {
      ok: false,
      problem: 'out_of_scope',
      scope: 'holder',
      licence,
      reason: `licence ${licence.number} is held by neither the consignor nor the declarant`,
    };
  }
  const limit = licence.limit;
  if (
    limit?.kind === 'quantity' &&
    (item.quantity === undefined || (item.unit ?? '').trim().toLowerCase() !== limit.unit.toLowerCase())
  ) {
    return {
      ok: false,
      problem: 'out_of_scope',
      scope: 'unit',
      licence,
      reason: `licence ${licence.number} limits a quantity in ${limit.unit}; line ${item.lineNo} declares ${item.quantity ?? 'no quantity'}${item.unit ? ` ${item.unit}` : ''}`,
    };
  }
  if (limit?.kind === 'value' && item.value.currency !== limit.currency) {
    return {
      ok: false,
      problem: 'out_of_scope',
      scope: 'currency',
      licence,
      reason: `licence ${licence.number} limits a value in ${limit.currency}; line ${item.lineNo} is valued in ${item.value.currency}`,
    };
  }
  const amount = lineAmount(licence, item)!;
  const remainingBefore = limit ? limit.amount - licence.used - alreadyClaimed : null;
  if (remainingBefore !== null && amount > remainingBefore + 1e-9) {
    return {
      ok: false,
      problem: 'exhausted',
      licence,
      amount,
      remainingBefore,
      reason: `licence ${licence.number} has ${Math.max(0, remainingBefore)} ${measure(licence)} left, line ${item.lineNo} needs ${amount}`,
    };
  }
  return {
    ok: true,
    licence,
    amount,
    remainingBefore,
    holderMatchedBy: (byConsignor ?? byDeclarant)!,
    holderParty: byConsignor ? 'consignor' : 'declarant',
  };
}

export function measure(licence: CitedLicence): string {
  return !licence.limit ? '' : licence.limit.kind === 'quantity' ? licence.limit.unit : licence.limit.currency;
}

/** Every line that cites a licence, in line order, with its check; lines citing the same licence share its balance. */
export function checkCitedLines(
  d: DeclarationInput,
  licences: ReadonlyMap<string, CitedLicence>,
  day: string,
): { index: number; item: Item; number: string; check: LicenceCheck }[] {
  const claimed = new Map<string, number>();
  const out: { index: number; item: Item; number: string; check: LicenceCheck }[] = [];
  d.items.forEach((item, index) => {
    if (!item.licenceNumber) return;
    const key = licenceKey(item.licenceNumber);
    const check = checkLicence(licences.get(key), item.licenceNumber, item, d, day, claimed.get(key) ?? 0);
    if (check.ok) claimed.set(key, (claimed.get(key) ?? 0) + check.amount);
    out.push({ index, item, number: item.licenceNumber, check });
  });
  return out;
}
