/**
 * The facts every statistic is summed from, per UTC day and organisation, computed from declarations and their
 * submission screenings. The same SQL adds to the daily rollup (up to a watermark) and answers the live part (after
 * the watermark) at request time, so the two can never count differently, nor count a declaration twice.
 *
 * Counting rules (the tests count the same way):
 * - each declaration counts once, on the day it was submitted, as screened at submission (re-screenings are not
 *   counted again: rolled-up figures never change);
 * - suppressed hits (false-positive marks) are not counted;
 * - outcome: declarations by outcome;
 * - list, entry: hits naming a list entry (goods and parties), label = the matched name or goods label;
 * - hsChapter, originCountry, destinationCountry: declaration lines with at least one goods hit ("controlled lines"),
 *   by the line's HS chapter, the line's country of origin, the declaration's country of destination;
 * - reexport: controlled lines of export and transit declarations (the procedures the route rule checks), keyed
 *   origin|destination|currency with the declared value; the origin filter is applied when asked, from the rule set.
 */
export const METRICS = [
  'outcome',
  'list',
  'entry',
  'hsChapter',
  'originCountry',
  'destinationCountry',
  'reexport',
] as const;
export type Metric = (typeof METRICS)[number];

/**
 * Rows (metric, day, organization, key, label, count, value) for the declarations created in [lower, upper) that the
 * rollup does not hold yet (created at or after their day's watermark).
 */
export function factsSql(lower: string, upper: string): string {
  return `
    WITH src AS (
      SELECT d.id, (d.created_at AT TIME ZONE 'UTC')::date AS day, d.organization, d.procedure, d.body, s.outcome, s.hits
      FROM declarations d
      JOIN screenings s ON s.declaration_id = d.id AND s.trigger IN ('submission', 'batch')
      LEFT JOIN stats_rollup_days r ON r.day = (d.created_at AT TIME ZONE 'UTC')::date
      WHERE d.created_at >= ${lower} AND d.created_at < ${upper} AND d.created_at >= coalesce(r.through, '-infinity')),
    h AS (
      SELECT src.id, src.day, src.organization, src.procedure, src.body, x.hit
      FROM src CROSS JOIN LATERAL jsonb_array_elements(src.hits) AS x(hit)
      WHERE NOT coalesce((x.hit->>'suppressed')::boolean, false)),
    lines AS (
      SELECT DISTINCT ON (g.id, g.line) g.day, g.organization, g.procedure, g.body->>'countryOfDestination' AS destination, g.body->'items'->g.line AS item
      FROM (SELECT h.*, substring(h.hit->>'subject' from '^items\\[(\\d+)\\]$')::int AS line FROM h WHERE h.hit->>'kind' = 'goods') g
      WHERE g.line IS NOT NULL)
    SELECT 'outcome' AS metric, day, organization, outcome AS key, '' AS label, count(*) AS count, 0::numeric AS value
      FROM src GROUP BY day, organization, outcome
    UNION ALL
    SELECT 'list', day, organization, hit->>'listId', '', count(*), 0
      FROM h WHERE hit->>'listId' IS NOT NULL AND hit->>'entryId' IS NOT NULL GROUP BY day, organization, hit->>'listId'
    UNION ALL
    SELECT 'entry', day, organization, (hit->>'listId') || ':' || (hit->>'entryId'), coalesce(max(hit->>'matched'), ''), count(*), 0
      FROM h WHERE hit->>'listId' IS NOT NULL AND hit->>'entryId' IS NOT NULL GROUP BY day, organization, (hit->>'listId') || ':' || (hit->>'entryId')
    UNION ALL
    SELECT 'hsChapter', day, organization, left(regexp_replace(item->>'hsCode', '[^0-9]', '', 'g'), 2), '', count(*), 0
      FROM lines GROUP BY day, organization, left(regexp_replace(item->>'hsCode', '[^0-9]', '', 'g'), 2)
    UNION ALL
    SELECT 'originCountry', day, organization, item->>'countryOfOrigin', '', count(*), 0
      FROM lines GROUP BY day, organization, item->>'countryOfOrigin'
    UNION ALL
    SELECT 'destinationCountry', day, organization, destination, '', count(*), 0
      FROM lines GROUP BY day, organization, destination
    UNION ALL
    SELECT 'reexport', day, organization, concat_ws('|', item->>'countryOfOrigin', destination, item->'value'->>'currency'), '', count(*),
           coalesce(sum((item->'value'->>'amount')::numeric), 0)
      FROM lines WHERE procedure IN ('export', 'transit')
      GROUP BY day, organization, concat_ws('|', item->>'countryOfOrigin', destination, item->'value'->>'currency')`;
}
