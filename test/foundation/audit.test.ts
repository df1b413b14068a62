import { sealPending } from '../../src/audit/audit-sealer';
import { recordAudit, SYSTEM_ACTOR } from '../../src/audit/audit.service';
import { bearer, startTestService, type TestService } from '../support/test-service';

function ndjson(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('audit log', () => {
  let t: TestService;
  let auditor: string;
  beforeAll(async () => {
    t = await startTestService();
    auditor = await t.key('auditor', 'authority');
  });
  afterAll(() => t.close());

  const ds = () => t.service.db.dataSource;

  it('records each state change with its actor, in the same transaction', async () => {
    const created = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: 'b', role: 'broker', organization: 'acme' });
    await t.http.delete(`/v1/api-keys/${created.body.id}`).set(...bearer(t.adminKey));
    const res = await t.http
      .get(`/v1/audit/events?subjectId=${created.body.id}`)
      .set(...bearer(auditor))
      .set('Accept', 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = ndjson(res.text);
    const events = lines.filter((l) => !l.manifest);
    expect(events.map((e) => e.action)).toEqual(['api_key.created', 'api_key.revoked']);
    expect(events[0]).toMatchObject({
      subjectType: 'api_key',
      subjectId: created.body.id,
      actor: { role: 'admin', organization: 'customs-authority' },
    });
    expect(JSON.stringify(events)).not.toContain(created.body.secret);
    const manifest = lines[lines.length - 1].manifest as Record<string, unknown>;
    expect(manifest).toMatchObject({
      rowCount: 2,
      firstSeq: events[0].seq,
      lastSeq: events[1].seq,
      chainHeadHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('writes no event when the transaction rolls back', async () => {
    const [{ n: before }] = await ds().query(`SELECT count(*)::int AS n FROM audit_events`);
    await expect(
      ds().transaction(async (m) => {
        await recordAudit(m, SYSTEM_ACTOR, { action: 'test.rolled_back', subjectType: 'test', subjectId: 'x' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [{ n: after }] = await ds().query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(after).toBe(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database', async () => {
    await sealPending(ds(), { wait: true });
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NOT NULL`);
    expect(n).toBeGreaterThan(0);
    await expect(ds().query(`UPDATE audit_events SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(ds().query(`UPDATE audit_events SET hash = repeat('0', 64) WHERE seq IS NOT NULL`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds().query(`UPDATE audit_events SET seq = seq + 1000 WHERE seq IS NOT NULL`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ds().query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(ds().query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it('chains 32 concurrent writers into one gapless chain that verifies', async () => {
    await Promise.all(
      Array.from({ length: 32 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 10; i += 1) {
            await ds().transaction((m) =>
              recordAudit(m, SYSTEM_ACTOR, {
                action: 'test.concurrent',
                subjectType: 'test',
                subjectId: `w${w}-${i}`,
                data: { w, i },
              }),
            );
          }
        })(),
      ),
    );
    const res = await t.http.get('/v1/audit/verify').set(...bearer(auditor));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, unsealed: 0 });
    const [{ n, max }] = await ds().query(`SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_events`);
    expect(res.body.checked).toBe(n);
    expect(max).toBe(n);
  });

  it('exports CSV with a header, one row per event and a manifest row', async () => {
    const res = await t.http
      .get('/v1/audit/events?action=test.concurrent')
      .set(...bearer(auditor))
      .set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(
      'seq,occurredAt,actorKeyId,actorRole,actorOrganization,actorPerson,action,subjectType,subjectId,data,prevHash,hash',
    );
    expect(lines).toHaveLength(1 + 320 + 1);
    expect(lines[1]).toContain(',test.concurrent,test,');
    expect(lines[lines.length - 1]).toMatch(/^#manifest,/);
    const manifest = JSON.parse(
      lines[lines.length - 1].slice('#manifest,'.length).replace(/^"|"$/g, '').replace(/""/g, '"'),
    );
    expect(manifest.rowCount).toBe(320);
    // Who did it, as a person: the keys the admin made name the admin's person.
    const keys = await t.http
      .get('/v1/audit/events?action=api_key.created')
      .set(...bearer(auditor))
      .set('Accept', 'text/csv');
    expect(keys.text).toMatch(/^\d+,[^,]+,[0-9a-f-]{36},admin,[^,]+,bootstrap-admin,api_key\.created,/m);
  });

  it('filters by time range and answers 406 to an unknown Accept', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const res = await t.http.get(`/v1/audit/events?from=${encodeURIComponent(future)}`).set(...bearer(auditor));
    const lines = ndjson(res.text);
    expect(lines).toHaveLength(1);
    expect((lines[0].manifest as { rowCount: number }).rowCount).toBe(0);
    expect(
      (
        await t.http
          .get('/v1/audit/events')
          .set(...bearer(auditor))
          .set('Accept', 'application/pdf')
      ).status,
    ).toBe(406);
    expect((await t.http.get('/v1/audit/events?from=yesterday').set(...bearer(auditor))).status).toBe(400);
    expect((await t.http.get('/v1/audit/events').set(...bearer(await t.key('broker')))).status).toBe(403);
  });
});

describe('tamper detection', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());
  const ds = () => t.service.db.dataSource;

  /** As the database owner an attacker can switch the guard off; the chain still tells. */
  async function withGuardDisabled(sql: string) {
    await ds().transaction(async (m) => {
      await m.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await m.query(sql);
      await m.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    });
  }

  it('finds an altered row, a removed row, and a rewritten chain', async () => {
    for (let i = 0; i < 5; i += 1) await t.key('broker', `org-${i}`);
    const verify = (q = '') => t.http.get(`/v1/audit/verify${q}`).set(...bearer(t.adminKey));
    const clean = await verify();
    expect(clean.body.ok).toBe(true);
    const anchor = { seq: clean.body.headSeq, hash: clean.body.headHash };
    expect((await verify(`?anchorSeq=${anchor.seq}&anchorHash=${anchor.hash}`)).body.ok).toBe(true);

    await withGuardDisabled(`UPDATE audit_events SET data = jsonb_set(data, '{organization}', '"evil"') WHERE seq = 3`);
    // An edit that leaves the hashes alone sits below the checkpoint the clean verify signed: only a full rehash sees it.
    const altered = await verify('?full=true');
    expect(altered.body).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(altered.body.problem).toMatch(/altered/);
    // After a failed verification, the default (incremental) call rehashes from genesis too.
    expect((await verify()).body).toMatchObject({ ok: false, firstBadSeq: 3, mode: 'full' });

    // Rewrite the chain consistently from event 3 on: internally consistent, but the signed checkpoint and the anchor expose it.
    const rows = await ds().query(`SELECT seq FROM audit_events WHERE seq >= 3 ORDER BY seq`);
    const { chainHash, contentOf, EVENT_COLUMNS } = await import('../../src/audit/audit-chain');
    let prev = (await ds().query(`SELECT hash FROM audit_events WHERE seq = 2`))[0].hash;
    for (const { seq } of rows) {
      const [row] = await ds().query(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq = $1`, [seq]);
      const hash = chainHash(contentOf(row, Number(seq)), prev);
      await withGuardDisabled(`UPDATE audit_events SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${seq}`);
      prev = hash;
    }
    const rewritten = await verify('?full=true');
    expect(rewritten.body).toMatchObject({ ok: false, firstBadSeq: anchor.seq });
    expect(rewritten.body.problem).toMatch(/signed in its checkpoint/);
    const anchored = await verify(`?anchorSeq=${anchor.seq}&anchorHash=${anchor.hash}`);
    expect(anchored.body).toMatchObject({ ok: false, anchor: { ok: false } });

    await withGuardDisabled(`DELETE FROM audit_events WHERE seq = 2`);
    const removed = await verify('?full=true');
    expect(removed.body).toMatchObject({ ok: false, firstBadSeq: 2 });
    expect(removed.body.problem).toMatch(/missing/);
  });
});
