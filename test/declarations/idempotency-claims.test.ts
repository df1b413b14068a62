import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { usePreparedStatements } from '../../src/db/prepared';
import { IdempotencyStore, requestHash } from '../../src/declarations/idempotency';
import { createTestDatabase } from '../support/test-service';

/**
 * Idempotency-Key claims asked in one turn of the event loop go to PostgreSQL in one statement (issue 15), with the
 * answers each request would have had alone, and that statement reads the lists' generation for their screenings.
 */
describe('Idempotency-Key claims', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let named: DataSource;
  let plain: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    named = createDataSource(db.url, 4);
    plain = createDataSource(db.url, 4);
    await Promise.all([named.initialize(), plain.initialize()]);
    usePreparedStatements(named);
  });
  afterAll(async () => {
    await Promise.all([named.destroy(), plain.destroy()]);
    await db.drop();
  });

  /** Distinct transaction ids that wrote these keys: 1 when one statement claimed them all. */
  const writers = async (org: string) => {
    const [{ n }] = await plain.query(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM idempotency_keys WHERE organization = $1`,
      [org],
    );
    return n;
  };
  const generation = async () => Number((await plain.query(`SELECT generation FROM list_generation`))[0].generation);

  for (const [label, ds] of [
    ['named statements', () => named],
    ['plain statements', () => plain],
  ] as const) {
    it(`claims a turn's keys in one statement, each with its own answer (${label})`, async () => {
      const store = new IdempotencyStore(ds());
      const org = `org-batch-${label.split(' ')[0]}`;
      const hash = requestHash({ a: 1 });
      // Held before the turn: one key done (replayed), one in flight (409), one used with another body (422).
      await store.begin(org, 'done', hash);
      await plain.query(
        `UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = '{"id":"x"}'
         WHERE organization = $1 AND key = 'done'`,
        [org],
      );
      await store.begin(org, 'busy', hash);
      await store.begin(org, 'other-body', requestHash({ a: 2 }));
      const before = await writers(org);

      const fresh = Array.from({ length: 40 }, (_, i) => `fresh-${i}`);
      const asked = [
        ...fresh.map((key) => store.begin(org, key, hash)),
        store.begin(org, 'fresh-0', hash), // the same key twice in the turn: the first asked takes it
        store.begin(org, 'done', hash),
        store.begin(org, 'busy', hash),
        store.begin(org, 'other-body', hash),
        store.begin(`${org}-b`, 'fresh-0', hash), // another organisation's key of the same name is its own
      ].map((p) =>
        p.then(
          (v) => ({ ok: v }),
          (e: { status?: number; code?: string }) => ({ err: e }),
        ),
      );
      const answers = await Promise.all(asked);

      const generationNow = await generation();
      for (const a of answers.slice(0, 40)) expect(a).toEqual({ ok: { kind: 'new', listGeneration: generationNow } });
      const [dup, done, busy, other, otherOrg] = answers.slice(40);
      expect(dup).toMatchObject({ err: { status: 409, code: 'request_in_flight' } });
      expect(done).toEqual({ ok: { kind: 'replay', status: 201, body: { id: 'x' } } });
      expect(busy).toMatchObject({ err: { status: 409, code: 'request_in_flight' } });
      expect(other).toMatchObject({ err: { status: 422, code: 'idempotency_key_reused' } });
      expect(otherOrg).toEqual({ ok: { kind: 'new', listGeneration: generationNow } });
      // The 40 new keys of the turn: one statement, one transaction (three earlier claims, one each).
      expect(before).toBe(3);
      expect(await writers(org)).toBe(4);
      const [{ n }] = await plain.query(
        `SELECT count(*)::int AS n FROM idempotency_keys WHERE organization = $1 AND key LIKE 'fresh-%'`,
        [org],
      );
      expect(n).toBe(40);
    });
  }

  it("claims a turn's keys in key order, whatever order they were asked in (no deadlock between two processes)", async () => {
    const store = new IdempotencyStore(named);
    const asked = ['k-z', 'k-a', 'k-m', 'k-b'];
    await Promise.all(asked.map((key) => store.begin('org-order', key, requestHash({}))));
    // Rows appended by one statement sit in the heap in the order it inserted them.
    const rows: { key: string }[] = await plain.query(
      `SELECT key FROM idempotency_keys WHERE organization = 'org-order' ORDER BY ctid`,
    );
    expect(rows.map((r) => r.key)).toEqual(['k-a', 'k-b', 'k-m', 'k-z']);
  });

  it('reads the generation after the request arrived: an activation committed before the claim is seen', async () => {
    const store = new IdempotencyStore(named);
    const before = await generation();
    await plain.query(`UPDATE list_generation SET generation = generation + 1`);
    const start = await store.begin('org-gen', 'k1', requestHash({}));
    expect(start).toEqual({ kind: 'new', listGeneration: before + 1 });
  });

  it('gives each key to one of two processes claiming the same keys in opposite orders, without a deadlock', async () => {
    // Two data sources stand for two API processes: each turn, both ask for the same 200 keys, in opposite orders.
    const a = new IdempotencyStore(named);
    const b = new IdempotencyStore(plain);
    for (let round = 0; round < 10; round += 1) {
      const keys = Array.from({ length: 200 }, (_, i) => `race-${round}-${i}`);
      const ask = (store: IdempotencyStore, key: string) =>
        store.begin('org-race', key, requestHash({ key })).then(
          () => 'claimed',
          (e: { code?: string }) => e.code,
        );
      const [fromA, fromB] = await Promise.all([
        Promise.all(keys.map((k) => ask(a, k))),
        Promise.all([...keys].reverse().map((k) => ask(b, k))),
      ]);
      const byKey = keys.map((_, i) => [fromA[i], fromB[keys.length - 1 - i]].sort());
      for (const answers of byKey) expect(answers).toEqual(['claimed', 'request_in_flight']);
    }
  });

  it('fails every claim of a turn when the statement fails, and claims again on the next one', async () => {
    const store = new IdempotencyStore(plain);
    await plain.query(`ALTER TABLE idempotency_keys ADD CONSTRAINT test_no_bad CHECK (key <> 'bad')`);
    try {
      const answers = await Promise.all(
        ['ok-1', 'bad', 'ok-2'].map((key) =>
          store.begin('org-fail', key, requestHash({})).then(
            () => 'claimed',
            (e: { code?: string }) => e.code,
          ),
        ),
      );
      expect(answers).toEqual(['23514', '23514', '23514']);
    } finally {
      await plain.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT test_no_bad`);
    }
    expect(await store.begin('org-fail', 'ok-1', requestHash({}))).toMatchObject({ kind: 'new' });
  });
});
