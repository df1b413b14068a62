/**
 * The shapes every importer produces and the screening engine consumes.
 * Entries are plain data: importers turn official files into these, the engine indexes them.
 */

/** What a list holds: restricted parties (entities) or HS-code prefixes (goods). */
export type ListKind = 'goods' | 'entities';

export type EntityKind = 'person' | 'organization' | 'vessel' | 'aircraft' | 'unknown';

/** Identifier types we recognise; anything else is kept as OTHER with the source's own label in `label`. */
export const IDENTIFIER_TYPES = [
  'BIN',
  'IIN',
  'INN',
  'OGRN',
  'EORI',
  'IMO',
  'PASSPORT',
  'NATIONAL_ID',
  'REGISTRATION',
  'TAX_ID',
  'SWIFT',
  'OTHER',
] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export interface IdentifierRef {
  type: IdentifierType;
  value: string;
  /** ISO 3166-1 alpha-2 of the issuing country, when the source says it. */
  country?: string;
  /** The source's own wording of the type, e.g. "Tax ID No.", "Registration Number". */
  label?: string;
}

/**
 * An address as the list writes it: the structured parts where the source has them (OFAC add.csv, UN, EU, UK), else
 * the whole line in `full` (FtM `address`, CSL `addresses`). Kept as written; src/screening/matching/address.ts
 * normalises both sides when comparing.
 */
export interface ListAddress {
  street?: string;
  city?: string;
  region?: string;
  postcode?: string;
  /** ISO 3166-1 alpha-2 when the source's country could be resolved. */
  country?: string;
  full?: string;
}

export interface EntityEntry {
  /** The source's own id: OFAC ent_num, UN reference number, EU logicalId, FtM id, CSL id. */
  entryId: string;
  kind: EntityKind;
  /** Primary name first, then aliases (strong and weak), each as written in the source. */
  names: string[];
  /**
   * The subset of `names` the source itself marks as weak: UN "Low" quality aliases, FtM weakAlias, EU
   * strong="false". They are short or generic (a nickname, "CST"), so a hit on one alone deserves less weight.
   */
  weakNames?: string[];
  /** ISO 3166-1 alpha-2 codes of countries tied to the entry (nationality, address, citizenship, jurisdiction). */
  countries: string[];
  /** Sanctions programmes / list types, e.g. "RUSSIA-EO14024", "SDGT", "Entity List". */
  programs: string[];
  identifiers: IdentifierRef[];
  birthDates?: string[];
  remarks?: string;
  /**
   * FollowTheMoney topics ("sanction", "sanction.linked", "debarment", "export.control"...), only for sources that
   * tag records with them. Present means the source also ships context records: an entry is then a list target only
   * when one of its topics is among the rule set's targetTopics (see isListTarget); absent means every entry is listed.
   */
  topics?: string[];
  /** The list's addresses of the entity, when it gives any beyond a bare country. */
  addresses?: ListAddress[];
}

export type GoodsSeverity = 'high' | 'medium' | 'low';

export interface GoodsEntry {
  /** Digits only, 2-10 of them: an entry covers every code that starts with it. */
  prefix: string;
  severity: GoodsSeverity;
  label: string;
  /** e.g. "CHPL tier 1" */
  source?: string;
}

/** The kind of an ownership or control link between two entries of a list version (lists/importers/links.ts). */
export type LinkKind = 'ownership' | 'directorship' | 'family' | 'associate' | 'unknown-link' | 'linked-to';

/** A file that cannot be imported. `line` is 1-based in the named part. */
export class ImportFormatError extends Error {
  constructor(
    message: string,
    readonly part: string,
    readonly line?: number,
  ) {
    super(line !== undefined ? `${part}: line ${line}: ${message}` : `${part}: ${message}`);
    this.name = 'ImportFormatError';
  }
}
