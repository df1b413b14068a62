import type { EntityManager } from 'typeorm';
import type { DeclarationInput } from './declaration-input';

/**
 * The records of the declaring organisation that a declaration cites and that screening checks it against (issue 12):
 * licences and permits cited by its lines (`items[].licenceNumber`), electronic invoices cited by the declaration
 * (`invoiceNumbers`). They are read before screening, only when cited, so that `collectHits` stays pure and synchronous
 * and a re-screening sees the records as they are then.
 */
export interface Dossier {
  /** Cited licences by number, as they stand (validity, scope, remaining balance). A cited number absent here is unknown. */
  licences: ReadonlyMap<string, CitedLicence>;
  /** Cited invoices by number. A cited number absent here is missing. */
  invoices: ReadonlyMap<string, CitedInvoice>;
}

/** What a licence limits: a quantity in a unit, or a value in a currency (or nothing: the licence is unlimited). */
export type LicenceLimit =
  { kind: 'quantity'; amount: number; unit: string } | { kind: 'value'; amount: number; currency: string };

/** A licence or permit of the registry as it stands now (src/licences): screening checks a cited line against it. */
export interface CitedLicence {
  id: string;
  number: string;
  holder: { name: string; country: string; identifiers?: { type: string; value: string }[] };
  hsPrefixes: string[];
  destinationCountries: string[];
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  validTo: string;
  limit: LicenceLimit | null;
  revoked: boolean;
  /** Drawn so far by final releases, in the limit's measure (0 for an unlimited licence). */
  used: number;
}

/** An electronic invoice of the declaring organisation, as filed (src/invoices). */
export interface CitedInvoice {
  id: string;
  number: string;
  /** YYYY-MM-DD */
  date: string;
  seller: CitedInvoiceParty;
  buyer: CitedInvoiceParty;
  /** ISO 4217: every line's value is in it. */
  currency: string;
  lines: CitedInvoiceLine[];
}

export interface CitedInvoiceParty {
  name: string;
  country: string;
  identifiers?: { type: string; value: string }[];
}

export interface CitedInvoiceLine {
  lineNo: number;
  hsCode: string;
  description: string;
  quantity: number;
  unit: string;
  value: number;
  countryOfOrigin: string;
}

/** Reads part of a dossier in the caller's transaction (or outside one): each feature that owns cited records gives one. */
export type DossierLoader = (
  m: EntityManager,
  organization: string,
  declaration: DeclarationInput,
) => Promise<Partial<Dossier>>;

export function emptyDossier(): Dossier {
  return { licences: new Map(), invoices: new Map() };
}

export async function loadDossier(
  loaders: readonly DossierLoader[],
  m: EntityManager,
  organization: string,
  declaration: DeclarationInput,
): Promise<Dossier> {
  const dossier = emptyDossier();
  for (const part of await Promise.all(loaders.map((load) => load(m, organization, declaration))))
    Object.assign(dossier, part);
  return dossier;
}
