import type { EntityManager } from 'typeorm';
import { SqlFilter } from '../db/sql-filter';
import { factsSql, type Metric } from './stats-facts';

/** Days are 'YYYY-MM-DD' (UTC); `to` is exclusive here. */
export interface FactRange {
  from: string;
  to: string;
  organization?: string;
}

export interface FactRow {
  key: string;
  label: string;
  count: number;
  value: number;
}

/** Serialises rollup work between processes: two requests never add the same declarations twice. */
const ROLLUP_LOCK = 1_764_191_300;

/** Days of [$from, $to) whose watermark is behind min(day end, $until), or that have none yet. */
const BEHIND_SQL = `SELECT g::date AS day FROM generate_series($1::date, $2::date - 1, interval '1 day') g
  LEFT JOIN stats_rollup_days r ON r.day = g::date
  WHERE r.day IS NULL OR r.through < least((g::date + 1)::timestamp AT TIME ZONE 'UTC', $3::timestamptz)`;

/**
 * The facts of one metric over a range: the rollup rows of its days plus, computed live, the declarations after each
 * day's watermark (the earliest watermark bounds the index range scan). One statement, so the rollup rows and the
 * watermarks come from one snapshot. $1 metric, $2 from, $3 to, $4 organization.
 */
function rangeFacts(): string {
  const dayStart = (d: string) => `(${d}::timestamp AT TIME ZONE 'UTC')`;
  const lower = `coalesce((SELECT min(coalesce(r.through, ${dayStart('g::date')}))
      FROM generate_series($2::date, $3::date - 1, interval '1 day') g LEFT JOIN stats_rollup_days r ON r.day = g::date
      WHERE r.day IS NULL OR r.through < ${dayStart('(g::date + 1)')}), ${dayStart('$3::date')})`;
  return `
    f AS (
      SELECT day, key, label, count, value FROM stats_daily
      WHERE metric = $1 AND day >= $2::date AND day < $3::date AND ($4::text IS NULL OR organization = $4)
      UNION ALL
      SELECT day, key, label, count, value FROM (${factsSql(lower, dayStart('$3::date'))}) live
      WHERE metric = $1 AND ($4::text IS NULL OR organization = $4))`;
}

function params(metric: Metric, r: FactRange): unknown[] {
  return [metric, r.from, r.to, r.organization ?? null];
}

export class StatsRepository {
  /**
   * For the rest of the transaction: no parallel workers, no JIT (the statistics queries are small, and starting
   * workers or compiling costs more than they do).
   */
  async smallReadSettings(m: EntityManager): Promise<void> {
    await m.query(`SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`);
  }

  /** Whether a day of [from, to) has its watermark behind `until` (one small look, outside any transaction). */
  async behind(m: EntityManager, from: string, to: string, until: Date): Promise<boolean> {
    if (from >= to) return false;
    const rows = await m.query(`${BEHIND_SQL} LIMIT 1`, [from, to, until]);
    return rows.length > 0;
  }

  /**
   * Adds to the rollup of the days in [from, to) the declarations created between each day's watermark and `until`
   * (or the day's end), then moves the watermarks. Runs in the caller's transaction, under a lock.
   */
  async advance(m: EntityManager, from: string, to: string, until: Date): Promise<number> {
    if (from >= to) return 0;
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [ROLLUP_LOCK]);
    await m.query(
      `INSERT INTO stats_rollup_days (day, through)
       SELECT g::date, g::timestamp AT TIME ZONE 'UTC' FROM generate_series($1::date, $2::date - 1, interval '1 day') g
       ON CONFLICT (day) DO NOTHING`,
      [from, to],
    );
    const [{ lo }] = await m.query(
      `SELECT min(r.through) AS lo FROM (${BEHIND_SQL}) b JOIN stats_rollup_days r ON r.day = b.day`,
      [from, to, until],
    );
    if (!lo) return 0;
    await m.query(
      `INSERT INTO stats_daily AS s (metric, day, organization, key, label, count, value)
       SELECT f.metric, f.day, f.organization, f.key, f.label, f.count, f.value
       FROM (${factsSql('$1::timestamptz', "least($2::timestamptz, $3::date::timestamp AT TIME ZONE 'UTC')")}) f
       WHERE f.key IS NOT NULL
       ON CONFLICT (metric, day, organization, key) DO UPDATE
         SET count = s.count + excluded.count, value = s.value + excluded.value, label = greatest(s.label, excluded.label)`,
      [lo, until, to],
    );
    const [{ moved }] = await m.query(
      `WITH u AS (
         UPDATE stats_rollup_days SET through = least((day + 1)::timestamp AT TIME ZONE 'UTC', $3::timestamptz), rolled_at = now()
         WHERE day IN (SELECT day FROM (${BEHIND_SQL}) b) RETURNING day)
       SELECT count(*)::int AS moved FROM u`,
      [from, to, until],
    );
    return moved;
  }

  async outcomes(
    m: EntityManager,
    r: FactRange,
    interval: 'day' | 'week',
  ): Promise<{ period: string; clear: number; review: number; block: number }[]> {
    const unit = interval === 'week' ? 'week' : 'day';
    const rows: { period: string; clear: string; review: string; block: string }[] = await m.query(
      `WITH ${rangeFacts()},
       periods AS (
         SELECT p::date AS period FROM generate_series(date_trunc('${unit}', $2::date::timestamp), ($3::date - 1)::timestamp, interval '1 ${unit}') p)
       SELECT to_char(p.period, 'YYYY-MM-DD') AS period,
              coalesce(sum(f.count) FILTER (WHERE f.key = 'CLEAR'), 0) AS clear,
              coalesce(sum(f.count) FILTER (WHERE f.key = 'REVIEW'), 0) AS review,
              coalesce(sum(f.count) FILTER (WHERE f.key = 'BLOCK'), 0) AS block
       FROM periods p LEFT JOIN f ON date_trunc('${unit}', f.day::timestamp)::date = p.period
       GROUP BY p.period ORDER BY p.period`,
      params('outcome', r),
    );
    return rows.map((x) => ({
      period: x.period,
      clear: Number(x.clear),
      review: Number(x.review),
      block: Number(x.block),
    }));
  }

  /** The top keys of a metric by count (ties by key), with the total value. */
  async top(
    m: EntityManager,
    metric: Metric,
    r: FactRange,
    limit: number,
    onlyKeysLike?: string[],
  ): Promise<FactRow[]> {
    const f = new SqlFilter(params(metric, r));
    const top = f.bind(limit);
    if (onlyKeysLike) f.where(`split_part(key, '|', 1) = ANY(${f.bind(onlyKeysLike)}::text[])`);
    const rows: { key: string; label: string; count: string; value: string }[] = await m.query(
      `WITH ${rangeFacts()}
       SELECT key, max(label) AS label, sum(count) AS count, sum(value) AS value FROM f ${f.clause()}
       GROUP BY key ORDER BY sum(count) DESC, key LIMIT ${top}`,
      f.params,
    );
    return rows.map((x) => ({ key: x.key, label: x.label ?? '', count: Number(x.count), value: Number(x.value) }));
  }

  async listNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await m.query(
      `SELECT id, name FROM lists WHERE id = ANY($1::text[])`,
      [ids],
    );
    return new Map(rows.map((x) => [x.id, x.name]));
  }

  /** False-positive marks made in the range on each list entry ("listId:entryId"). Days as in FactRange. */
  async marks(m: EntityManager, entries: string[], r: FactRange): Promise<Map<string, number>> {
    if (!entries.length) return new Map();
    const rows: { k: string; n: string }[] = await m.query(
      `SELECT a.list_id || ':' || a.entry_id AS k, count(*) AS n
       FROM allow_list_entries a
       JOIN unnest($1::text[]) AS e(k) ON a.list_id = split_part(e.k, ':', 1) AND a.entry_id = substr(e.k, length(split_part(e.k, ':', 1)) + 2)
       LEFT JOIN declarations d ON d.id = a.declaration_id
       WHERE a.created_at >= ($2::date::timestamp AT TIME ZONE 'UTC') AND a.created_at < ($3::date::timestamp AT TIME ZONE 'UTC')
         AND ($4::text IS NULL OR d.organization = $4)
       GROUP BY 1`,
      [entries, r.from, r.to, r.organization ?? null],
    );
    return new Map(rows.map((x) => [x.k, Number(x.n)]));
  }

  /** Open cases now: how many, overdue, by age. */
  async openCases(
    m: EntityManager,
    organization?: string,
  ): Promise<{ open: number; overdue: number; buckets: number[] }> {
    const [row] = await m.query(
      `SELECT count(*) AS open,
              count(*) FILTER (WHERE overdue OR deadline < now()) AS overdue,
              count(*) FILTER (WHERE created_at > now() - interval '4 hours') AS b0,
              count(*) FILTER (WHERE created_at <= now() - interval '4 hours' AND created_at > now() - interval '1 day') AS b1,
              count(*) FILTER (WHERE created_at <= now() - interval '1 day' AND created_at > now() - interval '3 days') AS b2,
              count(*) FILTER (WHERE created_at <= now() - interval '3 days' AND created_at > now() - interval '7 days') AS b3,
              count(*) FILTER (WHERE created_at <= now() - interval '7 days') AS b4
       FROM review_cases WHERE closed_at IS NULL AND ($1::text IS NULL OR organization = $1)`,
      [organization ?? null],
    );
    return {
      open: Number(row.open),
      overdue: Number(row.overdue),
      buckets: [row.b0, row.b1, row.b2, row.b3, row.b4].map(Number),
    };
  }

  /** Minutes from opening to closing of the cases closed in [from, to). */
  async decisionMinutes(m: EntityManager, r: FactRange): Promise<{ p50: number | null; p90: number | null }> {
    const [row] = await m.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.minutes) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY x.minutes) AS p90
       FROM (SELECT extract(epoch FROM closed_at - created_at) / 60 AS minutes FROM review_cases
             WHERE closed_at >= ($1::date::timestamp AT TIME ZONE 'UTC') AND closed_at < ($2::date::timestamp AT TIME ZONE 'UTC')
               AND ($3::text IS NULL OR organization = $3)) x`,
      [r.from, r.to, r.organization ?? null],
    );
    const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    return { p50: round(row.p50), p90: round(row.p90) };
  }

  /**
   * Decisions made in [from, to) by each person: the person recorded with the decision (issue 10), else the key's
   * person, else its name. One person with several keys counts once, with the ids of the keys they used.
   */
  async decisionsByPerson(
    m: EntityManager,
    r: FactRange,
  ): Promise<{ person: string; keyIds: string[]; decisions: number }[]> {
    // Only an organisation filter needs the case (decisions do not carry it); without one the covering index suffices.
    const f = new SqlFilter([r.from, r.to]);
    const byCase = r.organization
      ? `JOIN review_cases c ON c.id = d.case_id AND c.organization = ${f.bind(r.organization)}`
      : '';
    const rows: { person: string; key_ids: string[]; decisions: string }[] = await m.query(
      `SELECT y.person, array_agg(DISTINCT y.decided_by::text ORDER BY y.decided_by::text) AS key_ids, sum(y.decisions) AS decisions
       FROM (SELECT coalesce(x.decided_by_person, k.person, k.name, x.decided_by::text) AS person, x.decided_by, x.decisions
             FROM (SELECT d.decided_by, d.decided_by_person, count(*) AS decisions FROM case_decisions d ${byCase}
                   WHERE d.decided_at >= ($1::date::timestamp AT TIME ZONE 'UTC') AND d.decided_at < ($2::date::timestamp AT TIME ZONE 'UTC')
                   GROUP BY d.decided_by, d.decided_by_person) x
             LEFT JOIN api_keys k ON k.id = x.decided_by) y
       GROUP BY y.person
       ORDER BY 3 DESC, 1`,
      f.params,
    );
    return rows.map((x) => ({ person: x.person, keyIds: x.key_ids, decisions: Number(x.decisions) }));
  }

  async listAges(m: EntityManager): Promise<
    {
      listId: string;
      name: string;
      kind: string;
      versionId: string;
      activatedAt: Date | null;
      ageHours: string | null;
    }[]
  > {
    return m.query(
      `SELECT l.id AS "listId", l.name, l.kind, v.id AS "versionId", v.activated_at AS "activatedAt",
              round((extract(epoch FROM now() - coalesce(v.activated_at, v.created_at)) / 3600)::numeric, 1) AS "ageHours"
       FROM lists l JOIN list_versions v ON v.id = l.active_version_id ORDER BY l.id`,
    );
  }
}
