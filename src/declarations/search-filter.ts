/**
 * The search filters shared by `GET /v1/declarations` and `GET /v1/cases` (issue 13). Each value is normalised here
 * exactly as search-keys.ts normalised the stored keys, so the SQL compares like with like; a value that cannot match
 * anything meaningful (an HS code with letters, a name that folds to one letter, an unknown identifier type) is a 400.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Actor } from '../http/actor';
import { seesAllOrganizations } from '../auth/actor';
import { BadRequestError } from '../http/errors';
import { normalizeHsCode } from '../screening/hs-code';
import { countryCode, DECLARATION_IDENTIFIER_TYPES } from '../screening/declaration-input';
import { foldedName, identifierKey, keyOf } from './search-keys';
import { setWordSimilarityThreshold } from './search-threshold.repository';

/** pg_trgm needs three characters to have a trigram of its own; shorter folds would match nearly everything. */
const MIN_PARTY_FOLD = 3;

export const searchFilters = z.object({
  party: z
    .string()
    .max(300)
    .transform((raw, ctx) => {
      const folded = foldedName(raw);
      if (folded.replace(/ /g, '').length < MIN_PARTY_FOLD) {
        ctx.addIssue({
          code: 'custom',
          message: `a party name needs at least ${MIN_PARTY_FOLD} letters or digits besides legal forms`,
        });
        return z.NEVER;
      }
      return folded;
    })
    .optional()
    .describe('Fuzzy party name, any role including manufacturers, in any script: "Vostok" finds "ВОСТОК ООО"'),
  identifier: z
    .string()
    .max(60)
    .transform((raw, ctx) => {
      const m = /^\s*([A-Za-z]+)\s*:(.*)$/.exec(raw);
      const type = m ? m[1].toUpperCase() : undefined;
      if (type !== undefined && !(DECLARATION_IDENTIFIER_TYPES as readonly string[]).includes(type)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown identifier type ${type}: use one of ${DECLARATION_IDENTIFIER_TYPES.join(', ')}, or the value alone`,
        });
        return z.NEVER;
      }
      // The bare value is stored too: without a type the search is one key like any other.
      const typed = identifierKey((type ?? 'OTHER') as (typeof DECLARATION_IDENTIFIER_TYPES)[number], m ? m[2] : raw);
      const value = typed.slice(typed.indexOf(':') + 1);
      if (!value) {
        ctx.addIssue({ code: 'custom', message: 'an identifier needs letters or digits' });
        return z.NEVER;
      }
      return keyOf.identifier(type ? typed : value);
    })
    .optional()
    .describe(
      'Exact identifier value, normalised (case, spaces and punctuation ignored), optionally typed: INN:7707083893',
    ),
  hsCode: z
    .string()
    .max(20)
    .transform((raw, ctx) => {
      const hs = normalizeHsCode(raw);
      if (!hs.ok) {
        ctx.addIssue({ code: 'custom', message: hs.message });
        return z.NEVER;
      }
      return keyOf.hsCode(hs.code);
    })
    .optional()
    .describe('HS code prefix, 2 to 10 digits (dots and spaces ignored): 8471 finds 8471.30'),
  country: countryCode
    .transform(keyOf.country)
    .optional()
    .describe("ISO country of any party, the route or the goods' origin"),
  organization: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Authority roles: one organisation. A broker may only name its own'),
  listEntry: z
    .string()
    .max(300)
    .regex(/^[^:\s]+:\S.*$/, 'use listId:entryId')
    .transform(keyOf.listEntry)
    .optional()
    .describe('listId:entryId: the declarations whose latest screening hit that list entry'),
});
export type SearchFilters = z.output<typeof searchFilters>;

export function hasSearchFilter(q: SearchFilters): boolean {
  return (
    q.party !== undefined ||
    q.identifier !== undefined ||
    q.hsCode !== undefined ||
    q.country !== undefined ||
    q.listEntry !== undefined
  );
}

/**
 * A broker sees its own organisation whatever it asks; naming another one is refused rather than silently answered
 * with its own declarations, which would read as "the other organisation has none".
 */
export function organizationScope(actor: Actor, requested: string | undefined): string | undefined {
  if (seesAllOrganizations(actor)) return requested;
  if (requested !== undefined && requested !== actor.organization) {
    throw new BadRequestError(
      'organization_filter_forbidden',
      'A broker sees its own organisation only: leave out the organization filter or name your own.',
    );
  }
  return actor.organization;
}

/**
 * How much of the query's trigrams a stretch of a stored name must share. pg_trgm's default (0.6) lets "Altyn
 * Logistics" reach every declaration naming any "... Logistics" (10 of its 16 trigrams), which the index must then
 * fetch and recheck one by one: millions of rows cost seconds. At 0.7 the index itself drops those, and a one-letter
 * slip in a name of two words still matches (the fold already absorbs romanisation variants).
 */
export const PARTY_SIMILARITY = 0.7;

/**
 * Runs the search with PARTY_SIMILARITY in force: the threshold is a setting the `<%` operator and its index read,
 * so it is set for this transaction only (SET LOCAL), never leaking into a pooled connection.
 */
export async function withPartyThreshold<T>(
  ds: DataSource,
  q: SearchFilters,
  work: (m: EntityManager) => Promise<T>,
): Promise<T> {
  if (q.party === undefined) return work(ds.manager);
  return ds.transaction(async (m) => {
    await setWordSimilarityThreshold(m, PARTY_SIMILARITY);
    return work(m);
  });
}

/**
 * Conditions on `declaration_search` (under `alias`) for the filters; `p` binds a parameter and returns its
 * placeholder. The exact filters together are one array containment (one GIN probe). The party name is matched in
 * the small dictionary of names (`party_names`, pg_trgm index) and its declarations read from the narrow
 * `declaration_party_names` (migration 1764192300000), not from the wide table's rows.
 */
export function searchConditions(q: SearchFilters, alias: string, p: (v: unknown) => string): string[] {
  const where = exactConditions(q, alias, p);
  // word_similarity against any stretch of a stored name, at PARTY_SIMILARITY (see withPartyThreshold): a misspelt
  // or partial name still finds the declaration.
  if (q.party !== undefined) {
    where.push(`${alias}.declaration_id IN (
      SELECT dp.declaration_id FROM party_names n JOIN declaration_party_names dp ON dp.name_id = n.id WHERE ${p(q.party)} <% n.folded)`);
  }
  return where;
}

function exactConditions(q: SearchFilters, alias: string, p: (v: unknown) => string): string[] {
  const all = [q.identifier, q.hsCode, q.country, q.listEntry].filter((k): k is string => k !== undefined);
  return all.length ? [`${alias}.keys @> ${p(all)}::text[]`] : [];
}

/** Up to this many matches, a search page is sorted from all of them; past it, the matches are dense enough to walk. */
const FEW_MATCHES = 2000;

/**
 * Up to this many dictionary names matching a party query, a page is read name by name from the narrow index (at
 * most a page per name, then sorted); past it (a query such as "Logistics" that most names contain), matching
 * declarations are dense enough to find by walking the time index.
 */
const FEW_NAMES = 1000;

export interface SearchPage {
  /** Conditions on declaration_search `s` that are not search filters: organisation, time range, cursor. */
  base: string[];
  /** Conditions on declarations `d` (status, outcome, reference): they need the join before the page. */
  declarations: string[];
  q: SearchFilters;
  limit: string;
  p: (v: unknown) => string;
}

/**
 * One page of a search, newest first, from declaration_search `s` joined to declarations `d`. The planner cannot
 * know how many rows a key or a name matches (an identifier: a handful; `country=KZ`: most), and a wrong guess either
 * way costs seconds at a million declarations: walking the time index to find three rare rows reads the whole table,
 * fetching every match of a common key to sort them reads most of it. So the statement asks the indexes first for up
 * to FEW_MATCHES + 1 matches (no order: the GIN indexes answer), sorts those when that is all there is, and only
 * otherwise walks the time index, where matches are then at least 1 in 500 rows. The second arm's condition is a
 * one-time filter: PostgreSQL skips the arm without reading a row when it is false. A party name alone (no other
 * filter) is read from the name index instead (partyPageSql).
 */
export function searchPageSql({ base, declarations, q, limit, p }: SearchPage): string {
  if (q.party !== undefined && declarations.length === 0 && exactConditions(q, 's', () => '').length === 0)
    return partyPageSql(base, q.party, limit, p);
  const where = [...base, ...declarations];
  const filter = (search: string[]) => {
    const all = [...where, ...search];
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  };
  const cap = p(FEW_MATCHES);
  const matches = filter(searchConditions(q, 's', p));
  // The walk rechecks the names stored on the row itself: matches are dense there, one index read per row is too many.
  const walk = filter([...exactConditions(q, 's', p), ...(q.party !== undefined ? [`${p(q.party)} <% s.names`] : [])]);
  // Declarations are joined before the page only when a filter reads them (status, outcome, reference).
  const from = `declaration_search s${declarations.length ? ' JOIN declarations d ON d.id = s.declaration_id' : ''}`;
  return `
    WITH c AS MATERIALIZED (
      SELECT s.declaration_id, s.created_at FROM ${from} ${matches} LIMIT ${cap} + 1),
    n AS (SELECT count(*) AS n FROM c),
    few AS (
      SELECT c.declaration_id, c.created_at FROM c WHERE (SELECT n FROM n) <= ${cap} ORDER BY c.created_at DESC, c.declaration_id DESC LIMIT ${limit}),
    many AS (
      SELECT s.declaration_id, s.created_at FROM ${from}
      ${walk ? `${walk} AND` : 'WHERE'} (SELECT n FROM n) > ${cap} ORDER BY s.created_at DESC, s.declaration_id DESC LIMIT ${limit})
    SELECT d.* FROM (SELECT * FROM few UNION ALL SELECT * FROM many) x JOIN declarations d ON d.id = x.declaration_id
    ORDER BY x.created_at DESC, x.declaration_id DESC`;
}

/**
 * A page for a party name alone. The names matching the query come from the dictionary (a few hundred at most for a
 * common name); for each, the newest page of its declarations is an index-only read of declaration_party_names
 * (name, time, declaration, organisation), under the same organisation, time and cursor conditions as
 * declaration_search (same column names, alias `s`). The newest page overall is among those per-name pages (a
 * declaration with two matching names counted once), so a sort of at most FEW_NAMES pages finds it. Past FEW_NAMES
 * names the time index is walked, as searchPageSql does for dense matches.
 */
function partyPageSql(base: string[], party: string, limit: string, p: (v: unknown) => string): string {
  const q = p(party);
  const names = p(FEW_NAMES);
  const and = base.map((c) => ` AND ${c}`).join('');
  return `
    WITH n AS MATERIALIZED (SELECT id FROM party_names WHERE ${q} <% folded LIMIT ${names} + 1),
    nn AS (SELECT count(*) AS n FROM n),
    by_name AS (
      SELECT DISTINCT x.declaration_id, x.created_at FROM n CROSS JOIN LATERAL (
        SELECT s.declaration_id, s.created_at FROM declaration_party_names s WHERE s.name_id = n.id${and}
        ORDER BY s.created_at DESC, s.declaration_id DESC LIMIT ${limit}) x
      WHERE (SELECT n FROM nn) <= ${names} ORDER BY x.created_at DESC, x.declaration_id DESC LIMIT ${limit}),
    by_time AS (
      SELECT s.declaration_id, s.created_at FROM declaration_search s WHERE ${q} <% s.names${and} AND (SELECT n FROM nn) > ${names}
      ORDER BY s.created_at DESC, s.declaration_id DESC LIMIT ${limit})
    SELECT d.* FROM (SELECT * FROM by_name UNION ALL SELECT * FROM by_time) x JOIN declarations d ON d.id = x.declaration_id
    ORDER BY x.created_at DESC, x.declaration_id DESC`;
}
