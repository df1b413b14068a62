import type { DataSource, EntityManager } from 'typeorm';
import type { UnitOfWork } from '../db/unit-of-work';
import { BadRequestError } from '../http/errors';
import { countryName } from '../identifiers/countries';
import type { HsNomenclature } from '../screening/hs-lookup';
import type { Ruleset } from '../screening/ruleset';
import type { FactRange } from './stats.repository';
import { StatsRepository } from './stats.repository';
import {
  MAX_RANGE_DAYS,
  type CasesResponse,
  type HitsQuery,
  type HitsResponse,
  type ListAgesResponse,
  type OutcomesQuery,
  type OutcomesResponse,
  type RangeQuery,
  type ReexportResponse,
} from './stats.schemas';

const DAY_MS = 86_400_000;
/**
 * The rollup stays this far behind now: a declaration is stamped when inserted and committed a moment later (a
 * batch chunk's transaction takes longer), so a watermark this old never passes a row still to commit.
 */
const WATERMARK_LAG_MS = 2 * 60_000;
const AGE_BUCKETS = ['<4h', '4-24h', '1-3d', '3-7d', '>7d'];

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export interface StatsClock {
  now(): number;
}

/**
 * Statistics for supervisors and auditors. Declarations come from the daily rollup up to a watermark two minutes
 * behind now (brought up to date by the first request of each minute, adding only the declarations since the last
 * one), the rest are computed live. Cases figures that describe "now" (open, overdue, age) are always live, from the
 * partial index over open cases.
 */
export class StatsService {
  private readonly repo = new StatsRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly ruleset: Ruleset,
    private readonly hs: HsNomenclature,
    private readonly clock: StatsClock = Date,
  ) {}

  /** The range as whole days: `to` exclusive from here on. Brings the rollup of its days up to the watermark first. */
  async range(q: RangeQuery): Promise<FactRange & { lastDay: string }> {
    const today = new Date(this.clock.now()).toISOString().slice(0, 10);
    const lastDay = q.to ?? today;
    const from = q.from ?? addDays(lastDay, -29);
    if (from > lastDay) throw new BadRequestError('invalid_range', '`from` is after `to`.');
    const to = addDays(lastDay, 1);
    if ((Date.parse(to) - Date.parse(from)) / DAY_MS > MAX_RANGE_DAYS) {
      throw new BadRequestError('invalid_range', `A range covers at most ${MAX_RANGE_DAYS} days.`);
    }
    await this.advance(from, to);
    return { from, to, organization: q.organization, lastDay };
  }

  /** Rolls up the last `days` days to the watermark (a bench or a job calls this ahead of the first request). */
  async rollUp(days: number): Promise<number> {
    const today = new Date(this.clock.now()).toISOString().slice(0, 10);
    return this.advance(addDays(today, -days), addDays(today, 1));
  }

  /** Whole minutes, so requests within a minute find the watermark current and write nothing. */
  private async advance(from: string, to: string): Promise<number> {
    const until = new Date(Math.floor((this.clock.now() - WATERMARK_LAG_MS) / 60_000) * 60_000);
    const end = `${to}T00:00:00Z` < until.toISOString() ? to : addDays(until.toISOString().slice(0, 10), 1);
    if (from >= end || !(await this.repo.behind(this.dataSource.manager, from, end, until))) return 0;
    return this.uow.run((m) => this.repo.advance(m, from, end, until));
  }

  /**
   * Reads in one read-only snapshot, without parallel workers or JIT: the queries touch a few hundred rollup rows and
   * minutes of live declarations, and starting workers or compiling costs more than that (tens of ms on 2 cores).
   */
  private read<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await this.repo.smallReadSettings(m);
      return work(m);
    });
  }

  async outcomes(q: OutcomesQuery): Promise<OutcomesResponse> {
    const r = await this.range(q);
    const series = await this.read((m) => this.repo.outcomes(m, r, q.interval));
    return { from: r.from, to: r.lastDay, interval: q.interval, series };
  }

  async hits(q: HitsQuery): Promise<HitsResponse> {
    const r = await this.range(q);
    return this.read((m) => this.hitsIn(m, q, r));
  }

  private async hitsIn(m: EntityManager, q: HitsQuery, r: FactRange & { lastDay: string }): Promise<HitsResponse> {
    const rows = await this.repo.top(m, q.by, r, q.limit);
    const base = { from: r.from, to: r.lastDay, by: q.by };
    if (q.by === 'list') {
      const names = await this.repo.listNames(
        m,
        rows.map((x) => x.key),
      );
      return { ...base, items: rows.map((x) => ({ key: x.key, label: names.get(x.key) ?? x.key, count: x.count })) };
    }
    if (q.by === 'entry') {
      const marks = await this.repo.marks(
        m,
        rows.map((x) => x.key),
        r,
      );
      return {
        ...base,
        items: rows.map((x) => {
          const falsePositives = marks.get(x.key) ?? 0;
          return {
            key: x.key,
            label: x.label || x.key,
            count: x.count,
            falsePositives,
            falsePositiveRate: x.count ? Math.round((falsePositives / x.count) * 1000) / 1000 : null,
          };
        }),
      };
    }
    if (q.by === 'hsChapter') {
      return {
        ...base,
        items: rows.map((x) => ({
          key: x.key,
          label: this.hs.lookup(x.key).description ?? `Chapter ${x.key}`,
          count: x.count,
        })),
      };
    }
    return { ...base, items: rows.map((x) => ({ key: x.key, label: countryName(x.key) ?? x.key, count: x.count })) };
  }

  async cases(q: RangeQuery): Promise<CasesResponse> {
    const r = await this.range(q);
    const [open, decisionMinutes, byPerson] = await this.read(
      async (m) =>
        [
          await this.repo.openCases(m, r.organization),
          await this.repo.decisionMinutes(m, r),
          await this.repo.decisionsByPerson(m, r),
        ] as const,
    );
    return {
      from: r.from,
      to: r.lastDay,
      open: open.open,
      overdue: open.overdue,
      ageBuckets: AGE_BUCKETS.map((bucket, i) => ({ bucket, count: open.buckets[i] })),
      decisionMinutes,
      byPerson,
    };
  }

  /** Controlled lines whose origin bans export to Russia (the route rule's country set), by origin and destination. */
  async reexport(q: RangeQuery): Promise<ReexportResponse> {
    const r = await this.range(q);
    const rows = await this.read((m) => this.repo.top(m, 'reexport', r, 10_000, [...this.ruleset.exportBan]));
    return {
      from: r.from,
      to: r.lastDay,
      items: rows.map((x) => {
        const [originCountry, destinationCountry, currency] = x.key.split('|');
        return {
          originCountry,
          destinationCountry,
          currency: currency ?? '',
          lines: x.count,
          value: Math.round(x.value * 100) / 100,
        };
      }),
    };
  }

  async listAges(): Promise<ListAgesResponse> {
    const rows = await this.repo.listAges(this.dataSource.manager);
    return {
      items: rows.map((x) => ({
        listId: x.listId,
        name: x.name,
        kind: x.kind,
        versionId: x.versionId,
        activatedAt: x.activatedAt ? new Date(x.activatedAt).toISOString() : null,
        ageHours: x.ageHours === null ? null : Number(x.ageHours),
      })),
    };
  }
}
