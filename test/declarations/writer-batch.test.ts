import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { usePreparedStatements } from '../../src/db/prepared';
import { loadConfig } from '../../src/config/config';
import { writeNewDeclarationCounted, type NewDeclaration } from '../../src/declarations/declaration-writer';
import { declarationSchema } from '../../src/screening/declaration-input';
import type { ScreeningResult } from '../../src/declarations/screening-records';
import { declaration } from '../support/factories';
import { createTestDatabase } from '../support/test-service';

/**
 * New declarations written in the same turn of the event loop share one statement and one commit (issue 15), with
 * every row each would have had alone; when that statement fails, each is written again alone, so a duplicate
 * reference fails its own request only.
 */
describe('declaration writer: one statement for a turn', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const config = loadConfig({}, { BOOTSTRAP_ADMIN_KEY: undefined });
  const keyId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 4);
    await ds.initialize();
    usePreparedStatements(ds);
    await ds.query(
      `INSERT INTO webhooks (organization, url, events, secret) VALUES ('hooked', 'https://example.test/h', '{declaration.screened}', 's')`,
    );
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const review: ScreeningResult = {
    outcome: 'REVIEW',
    riskScore: 80,
    hits: [
      {
        id: 'h1',
        kind: 'party',
        severity: 'high',
        score: 0.91,
        weight: 80,
        subject: 'consignee',
        listId: 'ofac-sdn',
        entryId: '123',
        evidence: { matchedName: 'X' },
      } as unknown as ScreeningResult['hits'][number],
    ],
    listVersions: { 'ofac-sdn': 'v1' },
    rulesetVersion: 'test',
    screenedAt: new Date().toISOString(),
  };
  const clear: ScreeningResult = { ...review, outcome: 'CLEAR', riskScore: 0, hits: [] };

  const newDeclaration = (organization: string, result: ScreeningResult, reference?: string): NewDeclaration => ({
    actor: { keyId, role: 'broker', organization },
    organization,
    submittedBy: keyId,
    input: declarationSchema.parse(declaration(reference ? { reference } : {})),
    result,
    trigger: 'submission',
    batchId: null,
  });

  /** Every row the writer made for a declaration, with the fields that do not depend on when or with whom. */
  const rowsOf = async (id: string) => {
    const [d] = await ds.query(
      `SELECT organization, status, outcome, risk_score, body, xmin::text AS tx FROM declarations WHERE id = $1`,
      [id],
    );
    const [s] = await ds.query(
      `SELECT outcome, risk_score, hits, list_versions, trigger FROM screenings WHERE declaration_id = $1`,
      [id],
    );
    const cases = await ds.query(
      `SELECT status, level, priority, risk_score FROM review_cases WHERE declaration_id = $1`,
      [id],
    );
    const [k] = await ds.query(`SELECT names, keys FROM declaration_search WHERE declaration_id = $1`, [id]);
    const names = await ds.query(
      `SELECT p.folded FROM declaration_party_names dp JOIN party_names p ON p.id = dp.name_id WHERE dp.declaration_id = $1 ORDER BY 1`,
      [id],
    );
    const audit = await ds.query(`SELECT action, data, actor FROM audit_events WHERE subject_id = $1 ORDER BY id`, [
      id,
    ]);
    const { tx, ...declarationRow } = d;
    return { tx, declarationRow, s, cases, k, names: names.map((n: { folded: string }) => n.folded), audit };
  };

  it('writes a turn of declarations in one transaction, each with the rows it would have had alone', async () => {
    const alone = await writeNewDeclarationCounted(ds.manager, config, newDeclaration('acme', review));
    const alone2 = await writeNewDeclarationCounted(ds.manager, config, newDeclaration('hooked', clear));
    const turn = [
      newDeclaration('acme', review),
      newDeclaration('hooked', clear),
      newDeclaration('acme', clear),
      newDeclaration('other', review),
      newDeclaration('hooked', review),
    ];
    const written = await Promise.all(turn.map((d) => writeNewDeclarationCounted(ds.manager, config, d)));

    const rows = await Promise.all(written.map((w) => rowsOf(w.answer.id as string)));
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    expect(rows[0].tx).not.toBe((await rowsOf(alone.answer.id as string)).tx);
    // The same rows, apart from ids and times, as the declarations written alone with the same input and result.
    const strip = (r: Awaited<ReturnType<typeof rowsOf>>) => ({
      ...r,
      tx: undefined,
      declarationRow: { ...r.declarationRow, body: undefined },
      k: { ...r.k, keys: [...r.k.keys].sort() },
      audit: r.audit.map((a: { action: string; data: Record<string, unknown> }) => ({
        ...a,
        data: { ...a.data, screeningId: undefined, caseId: undefined, reference: undefined },
      })),
    });
    const again = async (d: NewDeclaration) =>
      writeNewDeclarationCounted(ds.manager, config, {
        ...d,
        input: { ...d.input, reference: `${d.input.reference}-again` },
      });
    for (const [i, d] of turn.entries()) {
      const solo = await again(d);
      const soloRows = strip(await rowsOf(solo.answer.id as string));
      const batchRows = strip(rows[i]);
      expect({ ...batchRows, k: { ...batchRows.k, names: undefined, keys: undefined } }).toEqual({
        ...soloRows,
        k: { ...soloRows.k, names: undefined, keys: undefined },
      });
      expect(rows[i].declarationRow.body).toEqual(JSON.parse(JSON.stringify(d.input)));
      expect(rows[i].names).toEqual(soloRows.names);
    }
    // The webhook's outbox row only for the subscribing organisation, counted per declaration.
    expect(written.map((w) => w.queuedJobs)).toEqual([0, 1, 0, 0, 1]);
    expect(alone2.queuedJobs).toBe(1);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'subjectId' = ANY($1::text[])`,
      [written.map((w) => w.answer.id)],
    );
    expect(n).toBe(2);
    // Each declaration's audit events (its own, then its case's) are consecutive and in the order written alone.
    for (const [i, w] of written.entries()) {
      const events: { action: string; id: number }[] = await ds.query(
        `SELECT action, id::int AS id FROM audit_events WHERE subject_id = ANY($1::text[]) ORDER BY id`,
        [[w.answer.id, w.answer.caseId].filter(Boolean)],
      );
      expect(events.map((e) => e.action)).toEqual(
        turn[i].result.outcome === 'REVIEW'
          ? ['declaration.submitted', 'declaration.screened', 'case.opened']
          : ['declaration.submitted', 'declaration.screened'],
      );
      expect(events.map((e) => e.id - events[0].id)).toEqual(events.map((_, j) => j));
    }
  });

  it('writes the others when one of the turn has a reference already taken, and fails that one alone', async () => {
    const taken = newDeclaration('acme', clear);
    await writeNewDeclarationCounted(ds.manager, config, taken);
    const turn = [
      newDeclaration('acme', review),
      newDeclaration('acme', clear, taken.input.reference),
      newDeclaration('other', clear),
    ];
    const answers = await Promise.all(
      turn.map((d) =>
        writeNewDeclarationCounted(ds.manager, config, d).then(
          (w) => ({ id: w.answer.id as string }),
          (e: { code?: string; constraint?: string }) => ({ code: e.code, constraint: e.constraint }),
        ),
      ),
    );
    expect(answers[1]).toEqual({ code: '23505', constraint: 'declarations_reference_unique' });
    for (const i of [0, 2]) {
      const { id } = answers[i] as { id: string };
      const r = await rowsOf(id);
      expect(r.s.outcome).toBe(turn[i].result.outcome);
    }
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM declarations WHERE reference = $1`, [
      taken.input.reference,
    ]);
    expect(n).toBe(1);
  });
});
