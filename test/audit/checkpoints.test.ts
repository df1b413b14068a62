import { createPrivateKey, createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { chainHash, contentOf, EVENT_COLUMNS } from '../../src/audit/audit-chain';
import { recordAudit, SYSTEM_ACTOR } from '../../src/audit/audit.service';
import { checkpointMessage, signerFrom } from '../../src/audit/audit-signing';
import {
  bearer,
  createTestDatabase,
  eventually,
  startTestService,
  TEST_AUDIT_SIGNING_KEY,
  type TestService,
} from '../support/test-service';

function ndjson(text: string): Record<string, any>[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** What an auditor does offline: rebuild the signed text and check it with the public key they were given. */
function verifiesOffline(
  cp: { seq: number; hash: string; signedAt: string; publicKey: string; signature: string },
  trustedPublicKey: string,
): boolean {
  if (cp.publicKey !== trustedPublicKey) return false;
  const key = createPublicKey({ key: Buffer.from(trustedPublicKey, 'base64'), format: 'der', type: 'spki' });
  return verifySignature(
    null,
    Buffer.from(checkpointMessage(cp.seq, cp.hash, cp.signedAt)),
    key,
    Buffer.from(cp.signature, 'base64'),
  );
}

const otherKey = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const signerOf = (pkcs8Base64: string) =>
  signerFrom(createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' }), 'config');

describe('signed audit checkpoints', () => {
  let t: TestService;
  let auditor: string;
  const publicKey = signerOf(TEST_AUDIT_SIGNING_KEY).publicKey;
  beforeAll(async () => {
    t = await startTestService();
    auditor = await t.key('auditor', 'authority');
  });
  afterAll(() => t.close());
  const ds = () => t.service.db.dataSource;
  const addEvents = (n: number, tag = 'test.event') =>
    ds().transaction((m) =>
      recordAudit(
        m,
        SYSTEM_ACTOR,
        Array.from({ length: n }, (_, i) => ({ action: tag, subjectType: 'test', subjectId: `e${i}`, data: { i } })),
      ),
    );

  it('names a signed checkpoint of the exported head in the manifest, verifiable offline', async () => {
    await addEvents(3);
    const res = await t.http
      .get('/v1/audit/events')
      .set(...bearer(auditor))
      .set('Accept', 'application/x-ndjson');
    expect(res.status).toBe(200);
    const lines = ndjson(res.text);
    const { manifest } = lines[lines.length - 1];
    const events = lines.slice(0, -1);
    expect(manifest.checkpoint).toMatchObject({
      seq: manifest.chainHeadSeq,
      hash: manifest.chainHeadHash,
      reason: 'export',
      publicKey,
    });
    expect(events[events.length - 1]).toMatchObject({ seq: manifest.checkpoint.seq, hash: manifest.checkpoint.hash });
    expect(verifiesOffline(manifest.checkpoint, publicKey)).toBe(true);
    expect(verifiesOffline({ ...manifest.checkpoint, hash: '0'.repeat(64) }, publicKey)).toBe(false);
  });

  it('lists checkpoints newest first with cursor paging, for auditors and admins only', async () => {
    for (let i = 0; i < 3; i += 1) {
      await addEvents(1);
      expect((await t.http.get('/v1/audit/events?action=none').set(...bearer(auditor))).status).toBe(200);
    }
    const first = await t.http.get('/v1/audit/checkpoints?limit=2').set(...bearer(auditor));
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].seq).toBeGreaterThan(first.body.items[1].seq);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get(`/v1/audit/checkpoints?limit=2&cursor=${first.body.nextCursor}`)
      .set(...bearer(t.adminKey));
    expect(second.status).toBe(200);
    expect(second.body.items[0].seq).toBeLessThan(first.body.items[1].seq);
    const all = [...first.body.items, ...second.body.items];
    for (const cp of all) {
      expect(Object.keys(cp).sort()).toEqual(['hash', 'keyId', 'publicKey', 'reason', 'seq', 'signature', 'signedAt']);
      expect(verifiesOffline(cp, publicKey)).toBe(true);
    }
    expect(
      (await t.http.get('/v1/audit/checkpoints').set(...bearer(await t.key('reviewer', 'authority')))).status,
    ).toBe(403);
    expect((await t.http.get('/v1/audit/checkpoints?cursor=bm90LWEtY3Vyc29y').set(...bearer(auditor))).status).toBe(
      400,
    );
  });

  it('rehashes only the events after the last confirmed checkpoint, unless asked for a full check', async () => {
    await addEvents(200);
    const full = await t.http.get('/v1/audit/verify?full=true').set(...bearer(auditor));
    expect(full.body).toMatchObject({ ok: true, mode: 'full', fromSeq: 1, unsealed: 0 });
    expect(full.body.checked).toBe(full.body.headSeq);
    expect(full.body.checkpointsChecked).toBeGreaterThanOrEqual(4);
    expect(full.body.checkpoint).toMatchObject({ seq: full.body.headSeq, hash: full.body.headHash });

    await addEvents(3);
    const next = await t.http.get('/v1/audit/verify').set(...bearer(auditor));
    expect(next.body).toMatchObject({
      ok: true,
      mode: 'incremental',
      fromSeq: full.body.headSeq + 1,
      checked: 3,
      headSeq: full.body.headSeq + 3,
    });
    const again = await t.http.get('/v1/audit/verify').set(...bearer(auditor));
    expect(again.body).toMatchObject({ ok: true, mode: 'incremental', checked: 0, headSeq: next.body.headSeq });
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM audit_verifications WHERE ok`);
    expect(n).toBeGreaterThanOrEqual(3);
  });

  it('signs the head on a schedule when it has moved', async () => {
    const s = await startTestService({ AUDIT_CHECKPOINT_MINUTES: 0.003 });
    try {
      await s.service.db.dataSource.transaction((m) =>
        recordAudit(m, SYSTEM_ACTOR, { action: 'test.scheduled', subjectType: 'test', subjectId: 'x' }),
      );
      const cp = await eventually(async () => {
        const [head] = await s.service.db.dataSource.query(`SELECT max(seq)::int AS seq FROM audit_events`);
        const res = await s.http.get('/v1/audit/checkpoints?limit=1').set(...bearer(s.adminKey));
        const top = res.body.items[0];
        return top && top.seq === head.seq && top.reason === 'scheduled' ? top : undefined;
      }, 20000);
      expect(verifiesOffline(cp, publicKey)).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe('tamper evidence from checkpoints', () => {
  /** The superuser switches the guard off, as a database owner could. */
  async function asOwner(t: TestService, sql: string, params: unknown[] = []) {
    await t.service.db.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await m.query(sql, params);
      await m.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    });
  }

  /** Rewrites events from `fromSeq` with consistently recomputed hashes: the chain alone stays valid. */
  async function rewriteFrom(t: TestService, fromSeq: number, edit: string) {
    const ds = t.service.db.dataSource;
    await asOwner(t, `UPDATE audit_events SET data = ${edit} WHERE seq = $1`, [fromSeq]);
    let [{ hash: prev }] = await ds.query(`SELECT hash FROM audit_events WHERE seq = $1`, [fromSeq - 1]);
    for (const row of await ds.query(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq >= $1 ORDER BY seq`, [
      fromSeq,
    ])) {
      const hash = chainHash(contentOf(row, Number(row.seq)), prev);
      await asOwner(t, `UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3`, [prev, hash, row.seq]);
      prev = hash;
    }
  }

  it('reports a chain rewritten below a checkpoint with recomputed hashes, in incremental and full mode', async () => {
    const t = await startTestService();
    try {
      for (let i = 0; i < 4; i += 1) await t.key('broker', `org-${i}`);
      const verify = (q = '') => t.http.get(`/v1/audit/verify${q}`).set(...bearer(t.adminKey));
      const clean = await verify();
      expect(clean.body).toMatchObject({ ok: true, checkpoint: { seq: clean.body.headSeq } });
      const signedSeq = clean.body.headSeq;
      await t.key('broker', 'after-checkpoint');

      await rewriteFrom(t, 3, `jsonb_set(data, '{organization}', '"evil"')`);
      const incremental = await verify();
      expect(incremental.body).toMatchObject({ ok: false, mode: 'incremental', firstBadSeq: signedSeq });
      expect(incremental.body.problem).toMatch(/no longer has the hash signed in its checkpoint/);
      const full = await verify('?full=true');
      expect(full.body).toMatchObject({ ok: false, mode: 'full', firstBadSeq: signedSeq });
      expect(full.body.problem).toMatch(new RegExp(`events 1 to ${signedSeq} were rewritten`));
    } finally {
      await t.close();
    }
  });

  it('reports events removed from the tail, which leave a valid chain behind', async () => {
    const t = await startTestService();
    try {
      for (let i = 0; i < 3; i += 1) await t.key('broker', `org-${i}`);
      // The seeded lists' re-screen runs (copied with the template) write audit events of their own when they finish:
      // let them, and let every event be sealed, or one sealed after this verify would continue the truncated chain.
      const ds = t.service.db.dataSource;
      await eventually(
        async () =>
          (await ds.query(`SELECT count(*)::int AS n FROM rescreen_runs WHERE status <> 'completed'`))[0].n === 0,
        30_000,
      );
      const clean = await eventually(async () => {
        const v = await t.http.get('/v1/audit/verify').set(...bearer(t.adminKey));
        return v.body.unsealed === 0 ? v : undefined;
      });
      expect(clean.body.ok).toBe(true);
      const head = clean.body.headSeq;
      await asOwner(t, `DELETE FROM audit_events WHERE seq >= $1`, [head - 1]);
      const truncated = await t.http.get('/v1/audit/verify?full=true').set(...bearer(t.adminKey));
      expect(truncated.body).toMatchObject({ ok: false, firstBadSeq: head - 1 });
      expect(truncated.body.problem).toMatch(/missing from the chain/);
    } finally {
      await t.close();
    }
  });

  it('refuses a checkpoint signed with a key the service does not trust, whatever public key it carries', async () => {
    const t = await startTestService();
    const ds = t.service.db.dataSource;
    try {
      await t.key('broker', 'x');
      expect((await t.http.get('/v1/audit/verify').set(...bearer(t.adminKey))).body.ok).toBe(true);
      const [head] = await ds.query(
        `SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
      );
      const forger = signerOf(otherKey());
      const seq = Number(head.seq) + 50;
      const signedAt = new Date().toISOString();
      await ds.query(
        `INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, public_key, signature, reason) VALUES ($1, $2, $3, $4, $5, $6, 'scheduled')`,
        [
          seq,
          head.hash,
          signedAt,
          forger.keyId,
          forger.publicKey,
          forger.sign(checkpointMessage(seq, head.hash, signedAt)),
        ],
      );
      const forged = await t.http.get('/v1/audit/verify').set(...bearer(t.adminKey));
      expect(forged.body).toMatchObject({ ok: false });
      expect(forged.body.problem).toMatch(
        new RegExp(`checkpoint at event ${seq} is signed by key ${forger.keyId}, which this service does not trust`),
      );
    } finally {
      await t.close();
    }
  });

  it('keeps verifying across a restart with the same key; a new key needs the old one in AUDIT_TRUSTED_PUBLIC_KEYS', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestService({}, { database: db });
      await first.key('broker', 'a');
      const before = await first.http.get('/v1/audit/verify').set(...bearer(first.adminKey));
      expect(before.body.ok).toBe(true);
      const oldPublicKey = before.body.checkpoint.publicKey;
      await first.close();

      const same = await startTestService({}, { database: db });
      await same.key('broker', 'b');
      expect((await same.http.get('/v1/audit/verify?full=true').set(...bearer(same.adminKey))).body).toMatchObject({
        ok: true,
      });
      await same.close();

      const rotated = await startTestService({ AUDIT_SIGNING_KEY: otherKey() }, { database: db });
      const refused = await rotated.http.get('/v1/audit/verify?full=true').set(...bearer(rotated.adminKey));
      expect(refused.body).toMatchObject({ ok: false });
      expect(refused.body.problem).toMatch(/does not trust/);
      await rotated.close();

      const trusting = await startTestService(
        { AUDIT_SIGNING_KEY: otherKey(), AUDIT_TRUSTED_PUBLIC_KEYS: oldPublicKey },
        { database: db },
      );
      expect(
        (await trusting.http.get('/v1/audit/verify?full=true').set(...bearer(trusting.adminKey))).body,
      ).toMatchObject({ ok: true });
      await trusting.close();
    } finally {
      await db.drop();
    }
  });
});
