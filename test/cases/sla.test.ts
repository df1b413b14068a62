import { randomBytes } from 'node:crypto';
import { createTestDatabase, eventually, startTestService, type TestService } from '../support/test-service';
import { claim, decide, keyWithId, reviewLevelDeclaration, submitForCase } from './helpers';

/** Every SLA 3 seconds (fractions of a minute are allowed for drills and tests). */
const SHORT_SLA = {
  CASE_SLA_MINUTES_CRITICAL: 0.05,
  CASE_SLA_MINUTES_HIGH: 0.05,
  CASE_SLA_MINUTES_NORMAL: 0.05,
  CASE_SLA_MINUTES_LOW: 0.05,
};

interface CaseRow {
  priority: number;
  overdue: boolean;
  deadline: Date;
  updated_at: Date;
}

describe('SLA escalation', () => {
  let t: TestService;
  let broker: string;
  const ds = () => t.service.db.dataSource;
  const caseRow = async (id: string): Promise<CaseRow> =>
    (await ds().query(`SELECT priority, overdue, deadline, updated_at FROM review_cases WHERE id = $1`, [id]))[0];
  const overdueEvents = async (id: string): Promise<number> =>
    (
      await ds().query(
        `SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'case.overdue'`,
        [id],
      )
    )[0].n;

  beforeAll(async () => {
    t = await startTestService(SHORT_SLA);
    broker = await t.key('broker', 'acme-brokers');
  });
  afterAll(() => t.close());

  it('escalates an undecided case at its deadline: overdue, one priority step up, audited; running the job again changes nothing', async () => {
    const { caseId } = await submitForCase(t, broker, reviewLevelDeclaration());
    const opened = await caseRow(caseId!);
    expect(opened).toMatchObject({ priority: 2, overdue: false });
    const [job] = await ds().query(
      `SELECT payload, dedupe_key FROM outbox WHERE job_name = 'cases.escalate' AND payload->>'caseId' = $1`,
      [caseId],
    );
    expect(job.payload.deadline).toBe(opened.deadline.toISOString());
    expect(job.dedupe_key).toBe(`cases.escalate:${caseId}:${opened.deadline.toISOString()}`);

    const escalated = await eventually(async () => {
      const c = await caseRow(caseId!);
      return c.overdue ? c : undefined;
    }, 20000);
    expect(escalated.priority).toBe(1);
    expect(await overdueEvents(caseId!)).toBe(1);
    const [event] = await ds().query(
      `SELECT actor, data FROM audit_events WHERE subject_id = $1 AND action = 'case.overdue'`,
      [caseId],
    );
    expect(event).toMatchObject({
      actor: { role: 'system' },
      data: { previousPriority: 'high', priority: 'critical', deadline: opened.deadline.toISOString() },
    });

    const handler = t.service.cases.jobHandlers['cases.escalate'];
    await handler({ caseId: caseId!, deadline: opened.deadline.toISOString() }, { attempt: 1, jobId: 'again' });
    await handler(
      { caseId: caseId!, deadline: new Date(opened.deadline.getTime() - 60_000).toISOString() },
      { attempt: 1, jobId: 'outdated' },
    );
    expect(await caseRow(caseId!)).toEqual(escalated);
    expect(await overdueEvents(caseId!)).toBe(1);

    const reviewer = await keyWithId(t, 'reviewer');
    const listed = await claim(t, reviewer.secret);
    expect(listed.body).toMatchObject({ id: caseId, overdue: true, priority: 'critical' });
  });

  it('does not escalate a case decided before its deadline', async () => {
    const reviewer = await keyWithId(t, 'reviewer');
    const { caseId } = await submitForCase(t, broker, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(caseId);
    await decide(t, reviewer.secret, caseId!, { action: 'release', reason: 'Licence checked' });
    const [job] = await ds().query(
      `SELECT id FROM outbox WHERE job_name = 'cases.escalate' AND payload->>'caseId' = $1`,
      [caseId],
    );
    expect(job).toBeDefined();
    await new Promise((r) => setTimeout(r, 4000));
    expect(await caseRow(caseId!)).toMatchObject({ overdue: false, priority: 2 });
    expect(await overdueEvents(caseId!)).toBe(0);
  });
});

describe('SLA escalation across a restart', () => {
  it('is neither lost nor duplicated when the service stops before the deadline and starts again', async () => {
    const db = await createTestDatabase();
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const first = await startTestService({ ...SHORT_SLA, QUEUE_PREFIX: prefix }, { database: db });
    let caseId: string;
    try {
      const broker = await first.key('broker', 'acme-brokers');
      caseId = (await submitForCase(first, broker, reviewLevelDeclaration())).caseId!;
      await eventually(
        async () =>
          (
            await first.service.db.dataSource.query(
              `SELECT 1 FROM outbox WHERE job_name = 'cases.escalate' AND payload->>'caseId' = $1 AND status = 'relayed'`,
              [caseId],
            )
          ).length > 0,
      );
    } finally {
      await first.close();
    }
    const second = await startTestService({ ...SHORT_SLA, QUEUE_PREFIX: prefix }, { database: db });
    try {
      const q = (sql: string) => second.service.db.dataSource.query(sql, [caseId]);
      await eventually(async () => (await q(`SELECT overdue FROM review_cases WHERE id = $1`))[0].overdue, 20000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(
        (await q(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'case.overdue'`))[0].n,
      ).toBe(1);
      expect((await q(`SELECT priority FROM review_cases WHERE id = $1`))[0].priority).toBe(1);
    } finally {
      await second.close();
      await db.drop();
    }
  }, 60000);
});
