import { z } from 'zod';
import '../http/openapi';
import { ValidationError } from '../http/errors';
import { route, type RouteDef } from '../http/route';
import type { LoadedListsSource } from './loaded-lists';
import type { Ruleset } from './ruleset';

export const MAX_PARTIES = 100;

const screenPartiesBody = z
  .object({
    parties: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(300),
            country: z.string().max(60).optional().describe('ISO alpha-2 preferred'),
            identifiers: z
              .array(z.object({ type: z.string().min(1).max(30), value: z.string().trim().min(1).max(40) }))
              .max(10)
              .optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_PARTIES, `at most ${MAX_PARTIES} parties a request`),
    minScore: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "Defaults to the rule set's review band; brokers may not go below SCREEN_BROKER_MIN_SCORE (default 0.7)",
      ),
  })
  .strict()
  .openapi('ScreenPartiesRequest');

const matchSchema = z
  .object({
    listId: z.string(),
    versionId: z.string(),
    entryId: z.string(),
    matchedName: z.string(),
    score: z.number(),
    matchKind: z.enum(['name', 'identifier']),
    entry: z.object({
      kind: z.string(),
      names: z.array(z.string()),
      countries: z.array(z.string()),
      programs: z.array(z.string()),
      identifiers: z.array(z.object({ type: z.string(), value: z.string() }).passthrough()),
    }),
    explanation: z.object({ summary: z.string() }).passthrough(),
  })
  .openapi('PartyMatch');

/** Matches returned per party to the customs authority's own staff. */
const STAFF_MATCH_LIMIT = 20;

export interface BrokerScreeningLimits {
  /** SCREEN_BROKER_MIN_SCORE: the lowest minScore a broker may ask for. */
  minScore: number;
  /** SCREEN_BROKER_MAX_MATCHES: matches per party a broker gets. */
  maxMatches: number;
}

/**
 * Brokers screen their own counterparties; they do not browse the lists. A low minScore with many matches per party
 * would let a broker page through list contents (and the matcher's cost grows with it), so for brokers minScore has
 * a floor (the enhanced-due-diligence band) and the matches per party a cap.
 */
export function screeningRoutes(index: LoadedListsSource, ruleset: Ruleset, broker: BrokerScreeningLimits): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/v1/screen/parties',
      tag: 'Screening',
      roles: ['broker', 'reviewer', 'supervisor', 'admin'],
      body: screenPartiesBody,
      rateUnits: (b) => b.parties.length / 10, // ten parties cost about what one declaration does
      summary: 'Screen up to 100 parties against every active entity list; one result per party, best matches first',
      responses: {
        503: { description: 'A list version was just activated and this process is still loading it (Retry-After)' },
        200: {
          description: 'Matches at or above minScore',
          schema: z.object({
            results: z.array(z.object({ matches: z.array(matchSchema) })),
            listVersions: z.record(z.string(), z.string()),
          }),
        },
      },
      handler: async ({ body, actor }) => {
        const minScore = body.minScore ?? ruleset.partyBands.review;
        const isBroker = actor.role === 'broker';
        if (isBroker && minScore < broker.minScore) {
          throw new ValidationError([
            {
              path: 'body.minScore',
              message: `must be at least ${broker.minScore} for brokers (the enhanced-due-diligence band)`,
            },
          ]);
        }
        const limit = isBroker ? broker.maxMatches : STAFF_MATCH_LIMIT;
        const lists = await index.current();
        return {
          status: 200,
          body: {
            // Context records (OpenSanctions companies kept for the ownership graph) are not listed: not a match here.
            results: body.parties.map((p) => ({
              matches: lists.matcher
                .screen(p, { minScore, limit })
                .filter((m) => !lists.isContext(m.listId, m.entryId))
                // Copies of the open objects (passthrough in the schema): an interface type does not fit an open object type.
                .map((m) => ({
                  ...m,
                  entry: { ...m.entry, identifiers: m.entry.identifiers.map((i) => ({ ...i })) },
                  explanation: { ...m.explanation },
                })),
            })),
            listVersions: lists.versions(),
          },
        };
      },
    }),
  ];
}
