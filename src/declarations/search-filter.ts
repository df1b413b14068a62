/**
 * The search filters shared by `GET /v1/declarations` and `GET /v1/cases` (issue 13). Each value is normalised here
 * exactly as search-keys.ts normalised the stored keys, so the SQL compares like with like; a value that cannot match
 * anything meaningful (an HS code with letters, a name that folds to one letter, an unknown identifier type) is a 400.
 */
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { seesAllOrganizations } from '../auth/actor';
import { BadRequestError } from '../http/errors';
import { normalizeHsCode } from '../screening/hs-code';
import { countryCode, DECLARATION_IDENTIFIER_TYPES } from './declarations.schemas';
import { foldedName, identifierKey, keyOf } from './search-keys';

/** pg_trgm needs three characters to have a trigram of its own; shorter folds would match nearly everything. */
const MIN_PARTY_FOLD = 3;

export const searchFilters = z.object({
  party: z.string().max(300).transform((raw, ctx) => {
    const folded = foldedName(raw);
    if (folded.replace(/ /g, '').length < MIN_PARTY_FOLD) {
      ctx.addIssue({ code: 'custom', message: `a party name needs at least ${MIN_PARTY_FOLD} letters or digits besides legal forms` });
      return z.NEVER;
    }
    return folded;
  }).optional().describe('Fuzzy party name, any role including manufacturers, in any script: "Vostok" finds "ВОСТОК ООО"'),
  identifier: z.string().max(60).transform((raw, ctx) => {
    const m = /^\s*([A-Za-z]+)\s*:(.*)$/.exec(raw);
    const type = m ? m[1].toUpperCase() : undefined;
    if (type !== undefined && !(DECLARATION_IDENTIFIER_TYPES as readonly string[]).includes(type)) {
      ctx.addIssue({ code: 'custom', message: `unknown identifier type ${type}: use one of ${DECLARATION_IDENTIFIER_TYPES.join(', ')}, or the value alone` });
      return z.NEVER;
    }
    const types = type ? [type as (typeof DECLARATION_IDENTIFIER_TYPES)[number]] : DECLARATION_IDENTIFIER_TYPES;
    const keys = types.map((t) => identifierKey(t, m ? m[2] : raw));
    if (keys[0].endsWith(':')) {
      ctx.addIssue({ code: 'custom', message: 'an identifier needs letters or digits' });
      return z.NEVER;
    }
    return keys.map(keyOf.identifier);
  }).optional().describe('Exact identifier value, normalised (case, spaces and punctuation ignored), optionally typed: INN:7707083893'),
  hsCode: z.string().max(20).transform((raw, ctx) => {
    const hs = normalizeHsCode(raw);
    if (!hs.ok) {
      ctx.addIssue({ code: 'custom', message: hs.message });
      return z.NEVER;
    }
    return keyOf.hsCode(hs.code);
  }).optional().describe('HS code prefix, 2 to 10 digits (dots and spaces ignored): 8471 finds 8471.30'),
  country: countryCode.transform(keyOf.country).optional().describe('ISO country of any party, the route or the goods\' origin'),
  organization: z.string().trim().min(1).max(200).optional().describe('Authority roles: one organisation. A broker may only name its own'),
  listEntry: z.string().max(300).regex(/^[^:\s]+:\S.*$/, 'use listId:entryId').transform(keyOf.listEntry).optional()
    .describe('listId:entryId: the declarations whose latest screening hit that list entry'),
});
export type SearchFilters = z.output<typeof searchFilters>;

export function hasSearchFilter(q: SearchFilters): boolean {
  return q.party !== undefined || q.identifier !== undefined || q.hsCode !== undefined || q.country !== undefined || q.listEntry !== undefined;
}

/**
 * A broker sees its own organisation whatever it asks; naming another one is refused rather than silently answered
 * with its own declarations, which would read as "the other organisation has none".
 */
export function organizationScope(actor: Actor, requested: string | undefined): string | undefined {
  if (seesAllOrganizations(actor)) return requested;
  if (requested !== undefined && requested !== actor.organization) {
    throw new BadRequestError('organization_filter_forbidden', 'A broker sees its own organisation only: leave out the organization filter or name your own.');
  }
  return actor.organization;
}

/**
 * Conditions on `declaration_search` (under `alias`) for the filters; `p` binds a parameter and returns its
 * placeholder. The exact filters are one array containment (one GIN probe); the identifier without a type is an
 * overlap with its keys under every type.
 */
export function searchConditions(q: SearchFilters, alias: string, p: (v: unknown) => string): string[] {
  const where: string[] = [];
  const all = [q.hsCode, q.country, q.listEntry].filter((k): k is string => k !== undefined);
  if (q.identifier?.length === 1) all.push(q.identifier[0]);
  if (all.length) where.push(`${alias}.keys @> ${p(all)}::text[]`);
  if (q.identifier && q.identifier.length > 1) where.push(`${alias}.keys && ${p(q.identifier)}::text[]`);
  // word_similarity (pg_trgm.word_similarity_threshold, 0.6 by default) against any stretch of the stored names: a
  // misspelt or partial name still finds the declaration, and the trigram index answers it.
  if (q.party !== undefined) where.push(`${p(q.party)} <% ${alias}.names`);
  return where;
}
