/**
 * Collects one entity's data while an importer reads it, and emits a clean EntityEntry: names trimmed and
 * de-duplicated in source order, only valid ISO country codes, identifiers normalised, de-duplicated and refined
 * (generic Russian/Kazakh numbers -> INN/OGRN/BIN/IIN, see refineIdentifier).
 */
import { countryToIso2, isCountryCode } from '../../identifiers/countries';
import { refineIdentifier } from '../../identifiers/labels';
import { normalizeIdentifier } from '../../identifiers/validate';
import type { EntityEntry, EntityKind, IdentifierRef, IdentifierType, ListAddress } from '../../domain/list-entry';

export class EntryBuilder {
  private readonly names: string[] = [];
  private readonly nameSet = new Set<string>();
  private readonly weak = new Set<string>();
  private readonly countries = new Set<string>();
  private readonly programs = new Set<string>();
  private readonly identifiers: IdentifierRef[] = [];
  private readonly birthDates = new Set<string>();
  private readonly remarks: string[] = [];
  private readonly addresses = new Map<string, ListAddress>();

  constructor(
    readonly entryId: string,
    public kind: EntityKind,
  ) {}

  get nameCount(): number {
    return this.names.length;
  }

  /** Weak names (UN "Low" quality, FtM weakAlias, EU strong="false") are kept but listed in weakNames too. */
  addName(raw: string | undefined | null, weak = false): void {
    // Trimmed only: names stay as the source writes them (the matcher does its own normalisation).
    const name = (raw ?? '').trim();
    if (!name) return;
    if (!this.nameSet.has(name)) {
      this.nameSet.add(name);
      this.names.push(name);
      if (weak) this.weak.add(name);
    } else if (!weak) {
      this.weak.delete(name); // the same name also given as a strong alias is strong
    }
  }

  /** An ISO alpha-2 code in any case; anything else is ignored. */
  addCountryCode(code: string | undefined | null): void {
    const c = (code ?? '').trim().toUpperCase();
    if (isCountryCode(c)) this.countries.add(c);
  }

  /** A country as the source writes it ("Korea, North", "Russia"); unknown names are ignored. */
  addCountryName(name: string | undefined | null): void {
    const code = countryToIso2(name);
    if (code) this.countries.add(code);
  }

  addProgram(program: string | undefined | null): void {
    const p = (program ?? '').trim();
    if (p) this.programs.add(p);
  }

  addIdentifier(type: IdentifierType, rawValue: string | undefined | null, country?: string, label?: string): void {
    const value = normalizeIdentifier(type, rawValue ?? '');
    if (!value) return;
    const ref: IdentifierRef = { type, value };
    if (country && isCountryCode(country)) ref.country = country;
    if (label) ref.label = label;
    this.identifiers.push(ref);
  }

  addBirthDate(date: string | undefined | null): void {
    const d = (date ?? '').trim();
    if (d) this.birthDates.add(d);
  }

  /**
   * An address with at least a street, city, region, postcode or full line (a bare country is already in
   * `countries`). Parts are trimmed; the country is kept as ISO alpha-2 when it resolves. Duplicates are dropped.
   */
  addAddress(parts: { [K in keyof ListAddress]?: string | null }, countryIsName = true): void {
    const a: ListAddress = {};
    for (const key of ['street', 'city', 'region', 'postcode', 'full'] as const) {
      const v = (parts[key] ?? '').replace(/\s+/g, ' ').trim();
      if (v) a[key] = v;
    }
    if (Object.keys(a).length === 0) return;
    const country = countryIsName ? countryToIso2(parts.country) : (parts.country ?? '').trim().toUpperCase();
    if (country && isCountryCode(country)) a.country = country;
    const key = JSON.stringify(a);
    if (!this.addresses.has(key)) this.addresses.set(key, a);
  }

  addRemark(text: string | undefined | null): void {
    const t = (text ?? '').trim();
    if (t) this.remarks.push(t);
  }

  build(): EntityEntry {
    const countries = [...this.countries];
    const entry: EntityEntry = {
      entryId: this.entryId,
      kind: this.kind,
      names: this.names,
      countries,
      programs: [...this.programs],
      identifiers: dedupeIdentifiers(this.identifiers.map((ref) => refineIdentifier(ref, this.kind, countries))),
    };
    if (this.weak.size > 0) entry.weakNames = this.names.filter((n) => this.weak.has(n));
    if (this.birthDates.size > 0) entry.birthDates = [...this.birthDates];
    if (this.remarks.length > 0) entry.remarks = this.remarks.join('\n');
    if (this.addresses.size > 0) entry.addresses = [...this.addresses.values()];
    return entry;
  }
}

/** One ref per type+value; a ref that names the country wins over one that does not. */
function dedupeIdentifiers(refs: IdentifierRef[]): IdentifierRef[] {
  const byKey = new Map<string, IdentifierRef>();
  for (const ref of refs) {
    const key = `${ref.type}:${ref.value}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, ref);
    else if (!seen.country && ref.country) byKey.set(key, { ...ref, label: seen.label ?? ref.label });
  }
  return [...byKey.values()];
}
