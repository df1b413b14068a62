import { declaration, submit } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';
import {
  approve,
  claim,
  decide,
  keyWithId,
  reviewLevelDeclaration,
  submitForCase,
  uploadWatchList,
  withConsignee,
} from '../cases/helpers';
import { loadRuleset } from '../../src/screening/ruleset';
import { StatsRepository } from '../../src/stats/stats.repository';
import {
  expectedHits,
  expectedOutcomesByDay,
  expectedReexport,
  percentileCont,
  RAW_SQL,
  utcDay,
  type Filter,
  type RawDeclaration,
} from './expected';

const A = 'acme-brokers';
const B = 'globex-brokers';
const BANNED = loadRuleset().exportBan;

/** Controlled goods made in banning countries, declared for export or transit: what the re-export figure counts. */
function reexportDeclaration(procedure: 'export' | 'transit' | 'import', destination = 'RU') {
  return declaration({
    procedure,
    countryOfDispatch: 'KZ',
    countryOfDestination: destination,
    consignee: { name: 'Steppe Components', country: destination },
    items: [
      {
        lineNo: 1,
        hsCode: '8542.31.000.0',
        description: 'Microcontrollers',
        countryOfOrigin: 'DE',
        value: { amount: 5000, currency: 'USD' },
      },
      {
        lineNo: 2,
        hsCode: '8526.91',
        description: 'Navigation modules',
        countryOfOrigin: 'US',
        value: { amount: 700.5, currency: 'USD' },
      },
      {
        lineNo: 3,
        hsCode: '9403.60',
        description: 'Office desks',
        countryOfOrigin: 'DE',
        value: { amount: 900, currency: 'USD' },
      },
    ],
  });
}

describe('statistics API', () => {
  let t: TestService;
  let brokerA: string;
  let brokerB: string;
  let reviewer1: { id: string; secret: string };
  let reviewer2: { id: string; secret: string };
  let supervisor: { id: string; secret: string };
  let auditor: string;
  const ds = () => t.service.db.dataSource;
  const raw = async (): Promise<RawDeclaration[]> => ds().query(RAW_SQL);
  const get = (path: string, key = auditor) => t.http.get(path).set(...bearer(key));

  async function shift(ids: string[], days: number): Promise<void> {
    await ds().query(
      `UPDATE declarations SET created_at = created_at - $2 * interval '1 day' WHERE id = ANY($1::uuid[])`,
      [ids, days],
    );
  }

  beforeAll(async () => {
    t = await startTestService();
    brokerA = await t.key('broker', A);
    brokerB = await t.key('broker', B);
    reviewer1 = await keyWithId(t, 'reviewer');
    reviewer2 = await keyWithId(t, 'reviewer');
    supervisor = await keyWithId(t, 'supervisor');
    auditor = await t.key('auditor', 'customs-authority');
    await uploadWatchList(t, 'watch', [
      { id: 'N-1', name: 'Northwind Dual Trade LLC', countries: ['RU'] },
      { id: 'N-2', name: 'Polar Star Machinery JSC', countries: ['RU'] },
    ]);

    // Case work first, one case at a time, so each claim takes the case meant.
    const marked = await submitForCase(t, brokerA, withConsignee('Northwind Dual Trade LLC'));
    const partyHit = marked.answer.screening.hits.find((h: { kind: string }) => h.kind === 'party');
    expect((await claim(t, reviewer1.secret)).body.id).toBe(marked.caseId);
    expect(
      (
        await decide(t, reviewer1.secret, marked.caseId!, {
          action: 'release',
          reason: 'Almaty firm, not the listed one',
          falsePositiveHitIds: [partyHit.id],
        })
      ).status,
    ).toBe(200);
    expect(
      (await approve(t, supervisor.secret, marked.caseId!, { approve: true, reason: 'Registry checked' })).body.case
        .status,
    ).toBe('closed');
    const reviewed = await submitForCase(t, brokerB, reviewLevelDeclaration());
    expect((await claim(t, reviewer2.secret)).body.id).toBe(reviewed.caseId);
    expect(
      (await decide(t, reviewer2.secret, reviewed.caseId!, { action: 'release', reason: 'End user verified' })).body
        .case.status,
    ).toBe('closed');
    // Different times to decision: 30 and 90 minutes.
    await ds().query(`UPDATE review_cases SET created_at = closed_at - interval '30 minutes' WHERE id = $1`, [
      marked.caseId,
    ]);
    await ds().query(`UPDATE review_cases SET created_at = closed_at - interval '90 minutes' WHERE id = $1`, [
      reviewed.caseId,
    ]);

    const ids: string[] = [];
    const send = async (key: string, body: Record<string, unknown>) => {
      const res = await submit(t.http, key, body);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      return res.body;
    };
    for (let i = 0; i < 3; i++) await send(brokerA, declaration());
    await send(brokerA, reviewLevelDeclaration());
    await send(brokerA, reexportDeclaration('export'));
    await send(brokerA, reexportDeclaration('transit', 'KG'));
    await send(brokerA, reexportDeclaration('import', 'KZ'));
    await send(brokerA, withConsignee('Polar Star Machinery JSC'));
    const suppressed = await send(brokerA, withConsignee('Northwind Dual Trade LLC'));
    expect(suppressed.screening.hits.some((h: { suppressed?: boolean }) => h.suppressed)).toBe(true);
    await send(brokerB, declaration());
    await send(brokerB, reexportDeclaration('export'));
    await send(brokerB, withConsignee('Polar Star Machinery JSC'));
    // Spread over closed days (read from the rollup) and today (computed live); one falls outside the default range.
    await shift(ids.slice(0, 4), 3);
    await shift(ids.slice(4, 7), 10);
    await shift(ids.slice(9, 10), 40);
    // Three on one day at 10:00, 12:00 and 14:00, for the watermark test.
    await ds().query(
      `UPDATE declarations SET created_at = $2::date + (ARRAY[10, 12, 14])[array_position($1::uuid[], id)] * interval '1 hour' WHERE id = ANY($1::uuid[])`,
      [[ids[7], ids[8], ids[10]], utcDay(-5)],
    );
    // An open case made old and overdue.
    await ds()
      .query(`UPDATE review_cases SET created_at = now() - interval '2 days', deadline = now() - interval '1 hour'
      WHERE id = (SELECT id FROM review_cases WHERE closed_at IS NULL ORDER BY created_at LIMIT 1)`);
  }, 180000);
  afterAll(() => t.close());

  it('keeps a day rolled up to its watermark and counts the declarations after it live, never twice', async () => {
    const day = utcDay(-5);
    const next = utcDay(-4);
    const repo = new StatsRepository();
    const outcomeTotal = async () =>
      (await repo.outcomes(ds().manager, { from: day, to: next }, 'day')).reduce(
        (n, s) => n + s.clear + s.review + s.block,
        0,
      );
    const rolledUp = async () =>
      (
        await ds().query(
          `SELECT coalesce(sum(count), 0)::int AS n FROM stats_daily WHERE metric = 'outcome' AND day = $1`,
          [day],
        )
      )[0].n;
    const watermark = async () =>
      (await ds().query(`SELECT through FROM stats_rollup_days WHERE day = $1`, [day]))[0].through.toISOString();

    expect(await outcomeTotal()).toBe(3); // all live
    await t.service.uow.run((m) => repo.advance(m, day, next, new Date(`${day}T13:00:00Z`)));
    expect(await rolledUp()).toBe(2);
    expect(await watermark()).toBe(`${day}T13:00:00.000Z`);
    expect(await outcomeTotal()).toBe(3); // two rolled up, one live
    await t.service.uow.run((m) => repo.advance(m, day, next, new Date(`${day}T13:00:00Z`)));
    expect(await rolledUp()).toBe(2); // advancing to the same watermark adds nothing

    const res = await get(`/v1/stats/outcomes?from=${day}&to=${day}`);
    expect(
      res.body.series.reduce(
        (n: number, s: { clear: number; review: number; block: number }) => n + s.clear + s.review + s.block,
        0,
      ),
    ).toBe(3);
    expect(await rolledUp()).toBe(3);
    expect(await watermark()).toBe(`${next}T00:00:00.000Z`);
    expect(await outcomeTotal()).toBe(3);
  });

  it('counts outcomes per day and per week, closed days from the rollup and today live, as counted independently', async () => {
    const res = await get('/v1/stats/outcomes');
    expect(res.status).toBe(200);
    const f: Filter = { from: res.body.from, to: res.body.to };
    expect(res.body.series).toHaveLength(30);
    const expected = expectedOutcomesByDay(await raw(), f);
    for (const s of res.body.series)
      expect(s).toEqual({ period: s.period, ...(expected.get(s.period) ?? { clear: 0, review: 0, block: 0 }) });
    expect([...expected.values()].reduce((n, e) => n + e.clear + e.review + e.block, 0)).toBe(13); // 14 submitted, one 40 days ago
    const rolled: { day: string }[] = await ds().query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM stats_rollup_days`,
    );
    expect(rolled.map((r) => r.day)).toEqual(expect.arrayContaining([utcDay(-3), utcDay(-10)]));

    const weekly = await get(`/v1/stats/outcomes?from=${f.from}&to=${f.to}&interval=week&organization=${A}`);
    const byWeek = new Map<string, { clear: number; review: number; block: number }>();
    for (const [day, e] of expectedOutcomesByDay(await raw(), { ...f, organization: A })) {
      const d = new Date(`${day}T00:00:00Z`);
      const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
      const w = byWeek.get(monday) ?? { clear: 0, review: 0, block: 0 };
      byWeek.set(monday, { clear: w.clear + e.clear, review: w.review + e.review, block: w.block + e.block });
    }
    for (const s of weekly.body.series) {
      expect(new Date(`${s.period}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(s).toEqual({ period: s.period, ...(byWeek.get(s.period) ?? { clear: 0, review: 0, block: 0 }) });
    }
  });

  it('counts today live: a new declaration shows at once, closed days stay as rolled up', async () => {
    const before = await get(`/v1/stats/outcomes?from=${utcDay(-3)}&to=${utcDay(1)}`);
    expect((await submit(t.http, brokerB, declaration())).status).toBe(201);
    const after = await get(`/v1/stats/outcomes?from=${utcDay(-3)}&to=${utcDay(1)}`);
    const total = (r: typeof before) => r.body.series.reduce((n: number, s: { clear: number }) => n + s.clear, 0);
    expect(total(after)).toBe(total(before) + 1);
    expect(after.body.series[0]).toEqual(before.body.series[0]);
  });

  it.each(['list', 'entry', 'hsChapter', 'originCountry', 'destinationCountry'])('counts hits by %s', async (by) => {
    for (const organization of [undefined, A]) {
      const f: Filter = { from: utcDay(-29), to: utcDay(1), organization };
      const res = await get(
        `/v1/stats/hits?by=${by}&from=${f.from}&to=${f.to}&limit=100${organization ? `&organization=${organization}` : ''}`,
      );
      expect(res.status).toBe(200);
      const expected = expectedHits(await raw(), f, by);
      expect(expected.size).toBeGreaterThan(0);
      expect(Object.fromEntries(res.body.items.map((i: { key: string; count: number }) => [i.key, i.count]))).toEqual(
        Object.fromEntries(expected),
      );
      const counts = res.body.items.map((i: { count: number }) => i.count);
      expect(counts).toEqual([...counts].sort((x, y) => y - x));
      for (const i of res.body.items) expect(i.label).toEqual(expect.any(String));
    }
  });

  it('labels hits and gives each entry its false-positive rate (marks / hits)', async () => {
    const lists = await get(`/v1/stats/hits?by=list&to=${utcDay(1)}`);
    expect(lists.body.items.find((i: { key: string }) => i.key === 'watch')).toMatchObject({
      label: expect.any(String),
    });
    const chapters = await get(`/v1/stats/hits?by=hsChapter&to=${utcDay(1)}`);
    expect(chapters.body.items.find((i: { key: string }) => i.key === '85').label).toMatch(/electrical/i);
    const origins = await get(`/v1/stats/hits?by=originCountry&to=${utcDay(1)}`);
    expect(origins.body.items.find((i: { key: string }) => i.key === 'DE').label).toBe('Germany');
    const entries = await get(`/v1/stats/hits?by=entry&to=${utcDay(1)}`);
    const northwind = entries.body.items.find((i: { key: string }) => i.key === 'watch:N-1');
    // One unsuppressed hit (the marked declaration itself); the later one was suppressed by the mark.
    expect(northwind).toMatchObject({ count: 1, falsePositives: 1, falsePositiveRate: 1 });
    expect(entries.body.items.find((i: { key: string }) => i.key === 'watch:N-2')).toMatchObject({
      count: 2,
      falsePositives: 0,
      falsePositiveRate: 0,
    });
    const limited = await get(`/v1/stats/hits?by=entry&to=${utcDay(1)}&limit=1`);
    expect(limited.body.items).toHaveLength(1);
  });

  it('gives the re-export figure: controlled lines of origins that ban export to Russia, by origin and destination, with value', async () => {
    for (const organization of [undefined, B]) {
      const f: Filter = { from: utcDay(-29), to: utcDay(1), organization };
      const res = await get(
        `/v1/stats/reexport?from=${f.from}&to=${f.to}${organization ? `&organization=${organization}` : ''}`,
      );
      expect(res.status).toBe(200);
      const expected = expectedReexport(await raw(), f, new Set(BANNED));
      expect(expected.size).toBeGreaterThan(0);
      expect(
        Object.fromEntries(
          res.body.items.map(
            (i: {
              originCountry: string;
              destinationCountry: string;
              currency: string;
              lines: number;
              value: number;
            }) => [`${i.originCountry}|${i.destinationCountry}|${i.currency}`, { lines: i.lines, value: i.value }],
          ),
        ),
      ).toEqual(Object.fromEntries(expected));
    }
    const all = await get(`/v1/stats/reexport?to=${utcDay(1)}`);
    // Import lines and the non-controlled furniture line never count; CN origin is not a banning country.
    expect(all.body.items.every((i: { originCountry: string }) => BANNED.has(i.originCountry))).toBe(true);
  });

  it('reports open and overdue cases, their age, time to decision and decisions per person', async () => {
    const res = await get(`/v1/stats/cases?to=${utcDay(1)}`, supervisor.secret);
    expect(res.status).toBe(200);
    const open: { created_at: Date; deadline: Date; overdue: boolean; organization: string }[] = await ds().query(
      `SELECT created_at, deadline, overdue, organization FROM review_cases WHERE closed_at IS NULL`,
    );
    expect(res.body.open).toBe(open.length);
    expect(res.body.overdue).toBe(open.filter((c) => c.overdue || c.deadline.getTime() < Date.now()).length);
    expect(res.body.overdue).toBeGreaterThanOrEqual(1);
    expect(res.body.ageBuckets.map((b: { bucket: string }) => b.bucket)).toEqual([
      '<4h',
      '4-24h',
      '1-3d',
      '3-7d',
      '>7d',
    ]);
    expect(res.body.ageBuckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(open.length);
    expect(res.body.ageBuckets[2].count).toBe(1);
    expect(res.body.decisionMinutes).toEqual({
      p50: percentileCont([30, 90], 0.5),
      p90: percentileCont([30, 90], 0.9),
    });
    expect(res.body.byPerson).toHaveLength(2);
    const persons: { id: string; person: string }[] = await ds().query(
      `SELECT id, person FROM api_keys WHERE id = ANY($1::uuid[])`,
      [[reviewer1.id, reviewer2.id]],
    );
    const personOf = (id: string) => persons.find((k) => k.id === id)!.person;
    expect(res.body.byPerson).toEqual(
      expect.arrayContaining([
        { person: personOf(reviewer1.id), keyIds: [reviewer1.id], decisions: 1 },
        { person: personOf(reviewer2.id), keyIds: [reviewer2.id], decisions: 1 },
      ]),
    );

    const onlyB = await get(`/v1/stats/cases?to=${utcDay(1)}&organization=${B}`);
    expect(onlyB.body.open).toBe(open.filter((c) => c.organization === B).length);
    expect(onlyB.body.byPerson.map((p: { keyIds: string[] }) => p.keyIds)).toEqual([[reviewer2.id]]);
    expect(onlyB.body.decisionMinutes).toEqual({ p50: 90, p90: 90 });
  });

  it('answers CSV when asked (Accept: text/csv), with a header and one row per item', async () => {
    const res = await get(`/v1/stats/outcomes?from=${utcDay(-3)}&to=${utcDay(0)}`).set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('period,clear,review,block');
    const json = await get(`/v1/stats/outcomes?from=${utcDay(-3)}&to=${utcDay(0)}`);
    expect(lines.slice(1)).toEqual(
      json.body.series.map(
        (s: { period: string; clear: number; review: number; block: number }) =>
          `${s.period},${s.clear},${s.review},${s.block}`,
      ),
    );
    const cases = await get(`/v1/stats/cases`).set('Accept', 'text/csv');
    expect(cases.text.split('\r\n')[0]).toBe('section,key,value');
    expect(cases.text).toMatch(/\r\nopen,,\d+\r\n/);
    const reexport = await get(`/v1/stats/reexport?to=${utcDay(1)}`).set('Accept', 'text/csv');
    expect(reexport.text.split('\r\n')[0]).toBe('originCountry,destinationCountry,lines,value,currency');
    expect(reexport.text).toContain('DE,RU,');
  });

  it('is for supervisors, auditors and admins; validates the range', async () => {
    expect((await get('/v1/stats/outcomes', brokerA)).status).toBe(403);
    expect((await get('/v1/stats/hits', reviewer1.secret)).status).toBe(403);
    expect((await get('/v1/stats/reexport', t.adminKey)).status).toBe(200);
    expect((await get('/v1/stats/lists', supervisor.secret)).status).toBe(200);
    const bad = await get(`/v1/stats/outcomes?from=${utcDay(0)}&to=${utcDay(-1)}`);
    expect(bad.status).toBe(400);
    expect((await get('/v1/stats/outcomes?from=2020-01-01&to=2026-01-01')).status).toBe(400);
    expect((await get('/v1/stats/hits?by=colour')).status).toBe(400);
    expect((await get('/v1/stats/outcomes?from=yesterday')).status).toBe(400);
  });

  it('describes every statistics route in the OpenAPI document, with its response schema', async () => {
    const doc = (await t.http.get('/openapi.json')).body;
    for (const path of [
      '/v1/stats/outcomes',
      '/v1/stats/hits',
      '/v1/stats/cases',
      '/v1/stats/reexport',
      '/v1/stats/lists',
    ]) {
      expect(doc.paths[path].get.responses['200'].content['application/json'].schema).toBeDefined();
    }
    expect(doc.paths['/v1/stats/hits'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['by', 'from', 'to', 'limit', 'organization']),
    );
  });

  it('gives each active list its age', async () => {
    const res = await get('/v1/stats/lists');
    const watch = res.body.items.find((i: { listId: string }) => i.listId === 'watch');
    expect(watch).toMatchObject({ kind: 'entities', activatedAt: expect.any(String), ageHours: expect.any(Number) });
    expect(watch.ageHours).toBeLessThan(1);
  });
});
