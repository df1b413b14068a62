import type { Request, Response } from 'express';
import { route, type RouteDef } from '../http/route';
import { csv } from './stats-csv';
import {
  casesResponse,
  hitsQuery,
  hitsResponse,
  listAgesResponse,
  outcomesQuery,
  outcomesResponse,
  rangeQuery,
  reexportResponse,
} from './stats.schemas';
import type { StatsService } from './stats.service';

const READERS = ['supervisor', 'auditor', 'admin'] as const;
const CSV_NOTE = 'Accept: text/csv gives the same figures as CSV.';

/** JSON, or CSV when the client prefers text/csv (the route writes CSV itself: the mounter sends JSON only). */
function answer<T>(req: Request, res: Response, body: T, toCsv: (b: T) => string): { status: 200; body: T } | void {
  if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
    res.status(200).type('text/csv; charset=utf-8').send(toCsv(body));
    return;
  }
  return { status: 200, body };
}

export function statsRoutes(stats: StatsService): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/v1/stats/outcomes',
      tag: 'Insight',
      roles: READERS,
      query: outcomesQuery,
      summary: `Declarations by screening outcome at submission, per day or week (default: the last 30 days). ${CSV_NOTE}`,
      responses: {
        200: { description: 'A series with one entry per period, empty periods included', schema: outcomesResponse },
      },
      handler: async ({ query, req, res }) => answer(req, res, await stats.outcomes(query), csv.outcomes),
    }),
    route({
      method: 'get',
      path: '/v1/stats/hits',
      tag: 'Insight',
      roles: READERS,
      query: hitsQuery,
      summary: `Top hits by list, list entry (with its false-positive rate), HS chapter, origin or destination country. ${CSV_NOTE}`,
      responses: { 200: { description: 'Most frequent first', schema: hitsResponse } },
      handler: async ({ query, req, res }) => answer(req, res, await stats.hits(query), csv.hits),
    }),
    route({
      method: 'get',
      path: '/v1/stats/cases',
      tag: 'Insight',
      roles: READERS,
      query: rangeQuery,
      summary: `Open and overdue cases and their age now; time to decision and decisions per person in the range. ${CSV_NOTE}`,
      responses: { 200: { description: 'Case figures', schema: casesResponse } },
      handler: async ({ query, req, res }) => answer(req, res, await stats.cases(query), csv.cases),
    }),
    route({
      method: 'get',
      path: '/v1/stats/reexport',
      tag: 'Insight',
      roles: READERS,
      query: rangeQuery,
      summary: `Controlled goods made in a country that bans their export to Russia, declared for export or transit, by origin and destination. ${CSV_NOTE}`,
      responses: { 200: { description: 'Most lines first', schema: reexportResponse } },
      handler: async ({ query, req, res }) => answer(req, res, await stats.reexport(query), csv.reexport),
    }),
    route({
      method: 'get',
      path: '/v1/stats/lists',
      tag: 'Insight',
      roles: READERS,
      summary: 'Each active list version and its age',
      responses: { 200: { description: 'Lists by id', schema: listAgesResponse } },
      handler: async () => ({ status: 200, body: await stats.listAges() }),
    }),
  ];
}
