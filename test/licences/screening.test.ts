import { drawDownLicences } from '../../src/licences/drawdown';
import { declarationBody } from '../../src/declarations/licence-drawdown.repository';
import { submit } from '../support/factories';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { approve, claim, decide, keyWithId, submitForCase } from '../cases/helpers';
import { controlledExport, createLicence, day, internalHits, rules } from './support';

/*
 * Order matters: the tests that release cases run first, while the review queue holds only their cases; the later
 * tests leave their cases open.
 */
describe('cited licences in screening and their drawdown', () => {
  let t: TestService;
  let broker: string;
  let otherBroker: string;
  let supervisor: string;
  let reviewer: { id: string; secret: string };
  let reviewer2: { id: string; secret: string };

  async function licence(id: string) {
    const res = await t.http.get(`/v1/licences/${id}`).set(...bearer(reviewer.secret));
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    otherBroker = await t.key('broker', 'steppe-logistics');
    supervisor = await t.key('supervisor', 'customs-authority');
    reviewer = await keyWithId(t, 'reviewer');
    reviewer2 = await keyWithId(t, 'reviewer');
  }, 90000);
  afterAll(() => t.close());

  it('marks goods under a valid licence licensed (weight 0: CLEAR), and the clearance draws the balance down', async () => {
    const lic = await createLicence(t, supervisor);
    const res = await submit(
      t.http,
      broker,
      controlledExport([{ quantity: 60, licenceNumber: ` ${lic.number.toLowerCase()} ` }]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'cleared', caseId: null, screening: { outcome: 'CLEAR', riskScore: 15 } });
    // The broker sees its own input back, but not the licence evidence (internal review data).
    const brokerGoods = res.body.screening.hits.find((h: { kind: string }) => h.kind === 'goods');
    expect(brokerGoods.evidence.licence).toBeUndefined();
    const asBroker = await t.http.get(`/v1/declarations/${res.body.id}`).set(...bearer(broker));
    expect(asBroker.body.declaration.items[0].licenceNumber).toBe(lic.number.toLowerCase());

    const hits = await internalHits(t, reviewer.secret, res.body.id);
    const goods = hits.find((h) => h.kind === 'goods')!;
    expect(goods).toMatchObject({
      weight: 0,
      evidence: {
        licence: {
          number: lic.number,
          status: 'licensed',
          amount: 60,
          measure: 'pcs',
          remainingBefore: 100,
          remainingAfter: 40,
          holderMatchedBy: 'identifier',
          holderParty: 'declarant',
        },
      },
    });
    expect(goods.explanation).toContain(`licensed under ${lic.number}`);
    // A licensed line is no longer "controlled goods" for the route rule: RU counts as a plain high-risk country.
    expect(hits.find((h) => h.kind === 'route')).toMatchObject({
      evidence: { rule: 'high-risk-country', controlledLines: [] },
      weight: 15,
    });

    const after = await licence(lic.id);
    expect(after.balance).toEqual({ measure: 'pcs', limit: 100, used: 60, remaining: 40, overdrawn: false });
    expect(after.drawdowns).toEqual([
      expect.objectContaining({
        declarationId: res.body.id,
        lineNo: 1,
        quantity: 60,
        unit: 'pcs',
        amount: 60,
        exceeded: false,
        trigger: 'clearance',
      }),
    ]);

    // A re-screening of this declaration (as a list change triggers) does not count its own draw against it.
    const stored = (
      await t.service.db.dataSource.query(`SELECT body, organization FROM declarations WHERE id = $1`, [res.body.id])
    )[0];
    const again = await t.service.declarations.pipeline.screen(stored.body, stored.organization);
    expect(again.outcome).toBe('CLEAR');
    expect(again.hits.find((h) => h.kind === 'goods')!.evidence!.licence).toMatchObject({
      status: 'licensed',
      remainingBefore: 100,
    });
  });

  it('draws down on a released case, once per line, and two releases competing for the last balance: one is recorded as exceeding', async () => {
    const lic = await createLicence(t, supervisor, { limit: { quantity: 100, unit: 'PCS' } });
    // Line 2 (FPGAs, no licence) keeps each declaration in review; line 1 is licensed for 60 of the 100.
    const body = () =>
      controlledExport([
        { quantity: 60, licenceNumber: lic.number },
        { hsCode: '8542.39', description: 'FPGA boards' },
      ]);
    const a = await submitForCase(t, broker, body());
    const b = await submitForCase(t, otherBroker, body());
    expect(a.answer.status).toBe('under_review');
    expect(b.answer.status).toBe('under_review');
    for (const d of [a, b]) {
      const goods = (await internalHits(t, reviewer.secret, d.declarationId)).filter(
        (h) => h.subject === 'items[0]' && h.kind === 'goods',
      );
      expect(goods[0].evidence.licence).toMatchObject({ status: 'licensed', remainingBefore: 100 });
    }
    expect((await licence(lic.id)).balance.used).toBe(0);

    const c1 = await claim(t, reviewer.secret);
    const c2 = await claim(t, reviewer2.secret);
    expect([c1.body.id, c2.body.id].sort()).toEqual([a.caseId, b.caseId].sort());
    const [r1, r2] = await Promise.all([
      decide(t, reviewer.secret, c1.body.id, {
        action: 'release',
        reason: 'Licensed microcontrollers; FPGA end use confirmed',
      }),
      decide(t, reviewer2.secret, c2.body.id, {
        action: 'release',
        reason: 'Licensed microcontrollers; FPGA end use confirmed',
      }),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);

    const after = await licence(lic.id);
    expect(after.balance).toEqual({ measure: 'PCS', limit: 100, used: 120, remaining: 0, overdrawn: true });
    expect(after.drawdowns).toHaveLength(2);
    expect(after.drawdowns.map((d: { exceeded: boolean }) => d.exceeded).sort()).toEqual([false, true]);
    expect(
      after.drawdowns.every((d: { trigger: string; lineNo: number }) => d.trigger === 'decision' && d.lineNo === 1),
    ).toBe(true);

    // Exactly once per line: drawing again for a released declaration changes nothing.
    const m = t.service.db.dataSource.manager;
    const who = { keyId: 'test', role: 'admin', organization: 'customs-authority' } as const;
    await drawDownLicences(m, who, a.declarationId, await declarationBody(m, a.declarationId), 'decision');
    expect((await licence(lic.id)).drawdowns).toHaveLength(2);
    const drawn = await t.service.db.dataSource.query(
      `SELECT action FROM audit_events WHERE subject_id = $1 AND action = 'licence.drawn_down'`,
      [lic.id],
    );
    expect(drawn).toHaveLength(2);

    // The next declaration citing it finds it exhausted: an explained indicator, and the goods count again.
    const next = await submitForCase(t, broker, controlledExport([{ quantity: 5, licenceNumber: lic.number }]));
    expect(next.answer.screening.outcome).toBe('REVIEW');
    const hits = await internalHits(t, reviewer.secret, next.declarationId);
    expect(rules(hits)).toContain('licence-exhausted');
    expect(hits.find((h) => h.evidence?.rule === 'licence-exhausted')).toMatchObject({
      kind: 'indicator',
      subject: 'items[0]',
      matched: lic.number,
      weight: 30,
      evidence: { problem: 'exhausted', amount: 5, remainingBefore: -20 },
    });
    expect(hits.find((h) => h.kind === 'goods')).toMatchObject({
      weight: 30,
      evidence: { licence: { number: lic.number, status: 'exhausted' } },
    });
  });

  it('draws down a BLOCK-level release only once a second supervisor approves it', async () => {
    const lic = await createLicence(t, supervisor);
    // Line 2: FPGAs made in DE bound for RU, a BLOCK under the shipped override; line 1 is licensed.
    const { caseId, answer } = await submitForCase(
      t,
      broker,
      controlledExport([
        { quantity: 30, licenceNumber: lic.number },
        { hsCode: '8542.39', description: 'FPGA boards', countryOfOrigin: 'DE' },
      ]),
    );
    expect(answer.screening.outcome).toBe('BLOCK');
    const s1 = await keyWithId(t, 'supervisor');
    const s2 = await keyWithId(t, 'supervisor');
    expect((await claim(t, s1.secret)).body.id).toBe(caseId);
    const released = await decide(t, s1.secret, caseId!, {
      action: 'release',
      reason: 'Export authorised by the ministry, letter on file',
    });
    expect(released.body.case.status).toBe('awaiting_approval');
    expect((await licence(lic.id)).balance.used).toBe(0);
    const approved = await approve(t, s2.secret, caseId!, { approve: true, reason: 'Letter checked' });
    expect(approved.status).toBe(200);
    const after = await licence(lic.id);
    expect(after.balance.used).toBe(30);
    expect(after.drawdowns).toEqual([
      expect.objectContaining({ lineNo: 1, amount: 30, trigger: 'decision', exceeded: false }),
    ]);
  });

  it('draws down on a clearance in a batch too', async () => {
    const lic = await createLicence(t, supervisor);
    const res = await t.http
      .post('/v1/declarations/batch')
      .set(...bearer(broker))
      .send({ declarations: [controlledExport([{ quantity: 25, licenceNumber: lic.number }])] });
    expect(res.status).toBe(202);
    const batch = await eventually(async () => {
      const b = await t.http.get(`/v1/batches/${res.body.batchId}`).set(...bearer(broker));
      return b.body.status === 'completed' && b.body;
    });
    const after = await licence(lic.id);
    expect(after.balance.used).toBe(25);
    expect(after.drawdowns).toEqual([
      expect.objectContaining({ declarationId: batch.items[0].declarationId, amount: 25, trigger: 'clearance' }),
    ]);
  });

  it('shares one balance between lines of a declaration citing the same licence', async () => {
    const lic = await createLicence(t, supervisor, { limit: { value: { amount: 8000, currency: 'USD' } } });
    const { declarationId } = await submitForCase(
      t,
      broker,
      controlledExport([{ licenceNumber: lic.number }, { licenceNumber: lic.number }]),
    );
    const hits = await internalHits(t, reviewer.secret, declarationId);
    expect(hits.find((h) => h.kind === 'goods' && h.subject === 'items[0]')!.evidence.licence).toMatchObject({
      status: 'licensed',
      remainingBefore: 8000,
      remainingAfter: 3000,
    });
    expect(hits.find((h) => h.evidence?.rule === 'licence-exhausted')).toMatchObject({
      subject: 'items[1]',
      evidence: { remainingBefore: 3000, amount: 5000 },
    });
  });

  it('raises an explained indicator for an unknown, expired, not yet valid and revoked licence', async () => {
    const expired = await createLicence(t, supervisor, { validFrom: day(-400), validTo: day(-1) });
    const future = await createLicence(t, supervisor, { validFrom: day(3), validTo: day(300) });
    const revoked = await createLicence(t, supervisor);
    expect(
      (
        await t.http
          .post(`/v1/licences/${revoked.id}/revoke`)
          .set(...bearer(supervisor))
          .send({ reason: 'Exporter struck off' })
      ).status,
    ).toBe(200);
    const expectations: [string, string, number, string][] = [
      ['KZ-NO-SUCH-LICENCE', 'licence-unknown', 40, 'is not in the registry'],
      [expired.number, 'licence-expired', 30, `expired on ${day(-1)}`],
      [future.number, 'licence-not-yet-valid', 30, `valid only from ${day(3)}`],
      [revoked.number, 'licence-revoked', 40, 'has been revoked'],
    ];
    for (const [number, rule, weight, text] of expectations) {
      const { declarationId, answer } = await submitForCase(t, broker, controlledExport([{ licenceNumber: number }]));
      expect(answer.screening.outcome).toBe('REVIEW');
      // The broker is told which rule, in public terms.
      const brokerHit = answer.screening.hits.find((h: { evidence?: { rule?: string } }) => h.evidence?.rule === rule);
      expect(brokerHit).toBeDefined();
      expect(brokerHit.evidence.licence).toBeUndefined();
      const hits = await internalHits(t, reviewer.secret, declarationId);
      const hit = hits.find((h) => h.evidence?.rule === rule)!;
      expect(hit).toMatchObject({ kind: 'indicator', subject: 'items[0]', matched: number, weight });
      expect(hit.explanation).toContain(text);
      expect(hits.find((h) => h.kind === 'goods')).toMatchObject({ weight: 30 });
    }
  });

  it('raises licence-out-of-scope for a destination, an HS code, a holder or a unit the licence does not cover', async () => {
    const kgOnly = await createLicence(t, supervisor, { destinationCountries: ['KG'] });
    const computers = await createLicence(t, supervisor, { hsPrefixes: ['8471'] });
    const otherHolder = await createLicence(t, supervisor, {
      holder: { name: 'Kedendik Broker LLP', country: 'KZ', identifiers: [{ type: 'BIN', value: '000740000728' }] },
    });
    const inKg = await createLicence(t, supervisor, { limit: { quantity: 5, unit: 'kg' } });
    const expectations: [string, string, Record<string, unknown>][] = [
      [kgOnly.number, 'destination', {}],
      [computers.number, 'hsCode', {}],
      [otherHolder.number, 'holder', {}],
      [inKg.number, 'unit', {}],
    ];
    for (const [number, scope] of expectations) {
      const { declarationId } = await submitForCase(t, broker, controlledExport([{ licenceNumber: number }]));
      const hit = (await internalHits(t, reviewer.secret, declarationId)).find(
        (h) => h.evidence?.rule === 'licence-out-of-scope',
      );
      expect(hit).toMatchObject({ weight: 30, evidence: { scope, problem: 'out_of_scope' } });
    }
  });

  it('matches the holder by normalised name when no identifier of the same kind is given, for a declaration of any organisation', async () => {
    const lic = await createLicence(t, supervisor, {
      holder: { name: 'KEDENDIK  broker', country: 'KZ' },
      destinationCountries: ['RU'],
    });
    const res = await submit(t.http, otherBroker, controlledExport([{ quantity: 3, licenceNumber: lic.number }]));
    expect(res.status).toBe(201);
    expect(res.body.screening.outcome).toBe('CLEAR');
    const goods = (await internalHits(t, reviewer.secret, res.body.id)).find((h) => h.kind === 'goods')!;
    expect(goods.evidence.licence).toMatchObject({ status: 'licensed', holderMatchedBy: 'name' });
    // Codes past six digits are not checked without NATIONAL_TARIFF_FILE.
    const odd = await submit(t.http, broker, controlledExport([{ hsCode: '8542.31.999.9' }]));
    expect(
      odd.body.screening.hits.some(
        (h: { evidence?: { rule?: string } }) => h.evidence?.rule === 'unknown-national-code',
      ),
    ).toBe(false);
  });

  it('refuses a licence number over 60 characters with 400', async () => {
    const res = await submit(t.http, broker, controlledExport([{ licenceNumber: 'X'.repeat(61) }]));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('body.items[0].licenceNumber');
  });
});
