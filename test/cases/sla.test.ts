import { bearer, createTestDatabase, eventually, startTestService, type TestService } from '../support/test-service';
import { claim, decide, keyWithId, reviewLevelDeclaration, submitForCase } from './helpers';

/** Every SLA 3 seconds (fractions of a minute are allowed for drills and tests). */
const SHORT_SLA = {
  CASE_SLA_MINUTES_CRITICAL: 0.05,
  CASE_SLA_MINUTES_HIGH: 0.05,
  CASE_SLA_MINUTES_NORMAL: 0.05,
  CASE_SLA_MINUTES_LOW: 0.05,
};

/** No sweep of its own in the test's time: the test runs the sweeps itself. */
const NO_BACKGROUND_SWEEP = { CASE_SLA_SWEEP_MS: 3_600_000 };

interface CaseRow {
  priority: number;
  overdue: boolean;
  deadline: Date;
  updated_at: Date;
}

function sql(t: TestService) {
  const ds = t.service.db.dataSource;
  return {
    caseRow: async (id: string): Promise<CaseRow> =>
      (await ds.query(`SELECT priority, overdue, deadline, updated_at FROM review_cases WHERE id = $1`, [id]))[0],
    overdueEvents: async (id: string): Promise<{ actor: Record<string, unknown>; data: Record<string, unknown> }[]> =>
      ds.query(`SELECT actor, data FROM audit_events WHERE subject_id = $1 AND action = 'case.overdue' ORDER BY id`, [
        id,
      ]),
    /** Outbox rows naming the case or its declaration, whatever the job. */
    outboxRows: async (ids: string[]): Promise<number> =>
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'cases.escalate' OR EXISTS (
             SELECT 1 FROM unnest($1::text[]) id WHERE outbox.payload::text LIKE '%' || id || '%')`,
          [ids],
        )
      )[0].n,
  };
}

/** Until the database clock is past the case's deadline by `marginMs`. */
async function pastDeadline(t: TestService, caseId: string, marginMs = 0): Promise<void> {
  await eventually(
    async () =>
      (
        await t.service.db.dataSource.query(
          `SELECT deadline + ($2::int * interval '1 millisecond') < now() AS past FROM review_cases WHERE id = $1`,
          [caseId, marginMs],
        )
      )[0].past,
    20000,
  );
}

describe('SLA escalation by the sweep', () => {
  let t: TestService;
  let broker: string;
  let q: ReturnType<typeof sql>;

  beforeAll(async () => {
    // The service sweeps on its own every 200 ms (the test default of CASE_SLA_SWEEP_MS).
    t = await startTestService(SHORT_SLA);
    broker = await t.key('broker', 'acme-brokers');
    q = sql(t);
  });
  afterAll(() => t.close());

  it('escalates an undecided case once its deadline passed: overdue, one priority step up, audited; another sweep changes nothing', async () => {
    const { caseId, declarationId } = await submitForCase(t, broker, reviewLevelDeclaration());
    const opened = await q.caseRow(caseId!);
    expect(opened).toMatchObject({ priority: 2, overdue: false });
    // No job per case: nothing in the outbox for it.
    expect(await q.outboxRows([caseId!, declarationId])).toBe(0);

    const escalated = await eventually(async () => {
      const c = await q.caseRow(caseId!);
      return c.overdue ? c : undefined;
    }, 20000);
    expect(escalated.priority).toBe(1);
    expect(escalated.deadline).toEqual(opened.deadline);
    expect(await q.overdueEvents(caseId!)).toEqual([
      {
        actor: { keyId: null, role: 'system', organization: null },
        data: {
          declarationId,
          deadline: opened.deadline.toISOString(),
          previousPriority: 'high',
          priority: 'critical',
        },
      },
    ]);

    // Another sweep, and a cases.escalate job an older deployment queued for the deadline (or an earlier one).
    await t.service.cases.sweepOverdue();
    const handler = t.service.cases.jobHandlers['cases.escalate'];
    await handler({ caseId: caseId!, deadline: opened.deadline.toISOString() }, { attempt: 1, jobId: 'again' });
    await handler(
      { caseId: caseId!, deadline: new Date(opened.deadline.getTime() - 60_000).toISOString() },
      { attempt: 1, jobId: 'outdated' },
    );
    expect(await q.caseRow(caseId!)).toEqual(escalated);
    expect(await q.overdueEvents(caseId!)).toHaveLength(1);

    const reviewer = await keyWithId(t, 'reviewer');
    const listed = await claim(t, reviewer.secret);
    expect(listed.body).toMatchObject({ id: caseId, overdue: true, priority: 'critical' });
    await decide(t, reviewer.secret, caseId!, { action: 'release', reason: 'Licence checked' });
  });

  it('does not escalate a case decided before its deadline', async () => {
    const reviewer = await keyWithId(t, 'reviewer');
    const { caseId } = await submitForCase(t, broker, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    expect((await decide(t, reviewer.secret, caseId!, { action: 'release', reason: 'Licence checked' })).status).toBe(
      200,
    );
    await pastDeadline(t, caseId!, 1000);
    await t.service.cases.sweepOverdue();
    expect(await q.caseRow(caseId!)).toMatchObject({ overdue: false, priority: 2 });
    expect(await q.overdueEvents(caseId!)).toEqual([]);
  });

  it('leaves a case alone while its SLA is paused for a request for information, and escalates it at the deadline the answer moved', async () => {
    const reviewer = await keyWithId(t, 'reviewer');
    const { caseId, declarationId } = await submitForCase(t, broker, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    const asked = await decide(t, reviewer.secret, caseId!, {
      action: 'request_info',
      reason: 'End use unclear',
      message: 'Please send the end-use statement.',
    });
    expect(asked.status).toBe(200);
    const original = await q.caseRow(caseId!);

    // The original deadline passes while the broker is asked: sweeps (the service's and this one) do nothing.
    await pastDeadline(t, caseId!, 1000);
    await t.service.cases.sweepOverdue();
    expect(await q.caseRow(caseId!)).toMatchObject({ overdue: false, priority: 2, deadline: original.deadline });
    expect(await q.overdueEvents(caseId!)).toEqual([]);

    // The answer moves the deadline later by the paused span: not due yet, so a sweep right now leaves the case alone.
    const answered = await t.http
      .post(`/v1/declarations/${declarationId}/responses`)
      .set(...bearer(broker))
      .send({ message: 'Statement attached.' });
    expect(answered.status).toBe(201);
    const [moved] = await t.service.db.dataSource.query(
      `SELECT deadline, deadline > now() + interval '1 second' AS ahead FROM review_cases WHERE id = $1`,
      [caseId],
    );
    expect(moved.deadline.getTime()).toBeGreaterThan(original.deadline.getTime());
    expect(moved.ahead).toBe(true);
    await t.service.cases.sweepOverdue();
    expect(await q.caseRow(caseId!)).toMatchObject({ overdue: false, priority: 2 });

    // At the moved deadline the service's own sweep escalates it, and says which deadline it missed.
    await eventually(async () => (await q.caseRow(caseId!)).overdue, 20000);
    expect(await q.caseRow(caseId!)).toMatchObject({ overdue: true, priority: 1, deadline: moved.deadline });
    expect(await q.overdueEvents(caseId!)).toEqual([
      expect.objectContaining({
        data: {
          declarationId,
          deadline: moved.deadline.toISOString(),
          previousPriority: 'high',
          priority: 'critical',
        },
      }),
    ]);
    expect(await q.outboxRows([caseId!])).toBe(0);
  });
});

describe('SLA sweeps in two processes at once', () => {
  it('escalate each due case exactly once', async () => {
    const db = await createTestDatabase();
    // Two services on one database, as an API and a worker (or two workers) sweep it; the test runs their sweeps.
    const a = await startTestService({ ...SHORT_SLA, ...NO_BACKGROUND_SWEEP }, { database: db });
    const b = await startTestService({ ...SHORT_SLA, ...NO_BACKGROUND_SWEEP }, { database: db });
    try {
      const broker = await a.key('broker', 'acme-brokers');
      const cases: string[] = [];
      for (let i = 0; i < 24; i++) cases.push((await submitForCase(a, broker, reviewLevelDeclaration())).caseId!);
      await pastDeadline(a, cases[cases.length - 1]);

      // Small batches, so the four sweeps take turns on the due cases in interleaved transactions.
      const swept = await Promise.all([
        a.service.cases.sweepOverdue(4),
        b.service.cases.sweepOverdue(4),
        a.service.cases.sweepOverdue(4),
        b.service.cases.sweepOverdue(4),
      ]);
      expect(swept.reduce((x, y) => x + y, 0)).toBe(cases.length);
      const rows: { priority: number; overdue: boolean; events: number }[] = await a.service.db.dataSource.query(
        `SELECT c.priority, c.overdue,
                (SELECT count(*)::int FROM audit_events e WHERE e.subject_id = c.id::text AND e.action = 'case.overdue') AS events
         FROM review_cases c WHERE c.id = ANY($1::uuid[])`,
        [cases],
      );
      expect(rows).toEqual(cases.map(() => ({ priority: 1, overdue: true, events: 1 })));
      expect(await Promise.all([a.service.cases.sweepOverdue(), b.service.cases.sweepOverdue()])).toEqual([0, 0]);
    } finally {
      await b.close();
      await a.close();
      await db.drop();
    }
  }, 60000);

  it('still runs a cases.escalate job an older deployment queued, and the sweep then leaves that case alone', async () => {
    const t = await startTestService({ ...SHORT_SLA, ...NO_BACKGROUND_SWEEP });
    try {
      const broker = await t.key('broker', 'acme-brokers');
      const { caseId } = await submitForCase(t, broker, reviewLevelDeclaration());
      const q = sql(t);
      const { deadline } = await q.caseRow(caseId!);
      await pastDeadline(t, caseId!);
      // The row as the writer of the previous version put it in the outbox with the case.
      await t.service.db.dataSource.query(
        `INSERT INTO outbox (job_name, payload, dedupe_key) VALUES ('cases.escalate', $1::jsonb, $2)`,
        [
          JSON.stringify({ caseId, deadline: deadline.toISOString() }),
          `cases.escalate:${caseId}:${deadline.toISOString()}`,
        ],
      );
      t.service.jobs.wake();
      await eventually(async () => (await q.caseRow(caseId!)).overdue, 20000);
      expect(await q.overdueEvents(caseId!)).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ previousPriority: 'high', priority: 'critical' }) }),
      ]);
      expect(await t.service.cases.sweepOverdue()).toBe(0);
      expect(await q.caseRow(caseId!)).toMatchObject({ priority: 1, overdue: true });
      expect(await q.overdueEvents(caseId!)).toHaveLength(1);
    } finally {
      await t.close();
    }
  }, 60000);
});

describe('SLA escalation across a restart', () => {
  it('is neither lost nor duplicated when the service stops before the deadline and starts again', async () => {
    const db = await createTestDatabase();
    const first = await startTestService(SHORT_SLA, { database: db });
    let caseId: string;
    try {
      const broker = await first.key('broker', 'acme-brokers');
      caseId = (await submitForCase(first, broker, reviewLevelDeclaration())).caseId!;
    } finally {
      await first.close();
    }
    const second = await startTestService(SHORT_SLA, { database: db });
    try {
      const q = sql(second);
      await eventually(async () => (await q.caseRow(caseId)).overdue, 20000);
      await second.service.cases.sweepOverdue();
      await new Promise((r) => setTimeout(r, 1000));
      expect(await q.overdueEvents(caseId)).toHaveLength(1);
      expect((await q.caseRow(caseId)).priority).toBe(1);
    } finally {
      await second.close();
      await db.drop();
    }
  }, 60000);
});
