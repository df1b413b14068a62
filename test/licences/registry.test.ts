import { bearer, startTestService, type TestService } from '../support/test-service';
import { auditActions } from '../cases/helpers';
import { createLicence, day, licenceBody } from './support';

describe('licence registry', () => {
  let t: TestService;
  let supervisor: string;
  let reviewer: string;
  let auditor: string;
  let broker: string;
  const count = async () =>
    Number((await t.service.db.dataSource.query(`SELECT count(*)::int AS n FROM licences`))[0].n);

  beforeAll(async () => {
    t = await startTestService();
    supervisor = await t.key('supervisor', 'customs-authority');
    reviewer = await t.key('reviewer', 'customs-authority');
    auditor = await t.key('auditor', 'customs-authority');
    broker = await t.key('broker', 'acme-brokers');
  }, 90000);
  afterAll(() => t.close());

  it('registers a licence (admin or supervisor) with normalised prefixes, its balance and an audit event', async () => {
    const res = await t.http
      .post('/v1/licences')
      .set(...bearer(t.adminKey))
      .send(
        licenceBody({
          number: 'KZ-EXP-2026-0001',
          hsPrefixes: ['8542.31', '85 26 91'],
          notes: 'For the 2026 contract',
        }),
      );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: 'KZ-EXP-2026-0001',
      hsPrefixes: ['854231', '852691'],
      destinationCountries: ['RU', 'KG'],
      status: 'active',
      limit: { quantity: 100, unit: 'pcs' },
      balance: { measure: 'pcs', limit: 100, used: 0, remaining: 100, overdrawn: false },
      holder: { name: 'Kedendik Broker LLP', country: 'KZ' },
      notes: 'For the 2026 contract',
      drawdowns: [],
      revokedAt: null,
    });
    const bySupervisor = await t.http
      .post('/v1/licences')
      .set(...bearer(supervisor))
      .send(licenceBody({ limit: { value: { amount: 250000, currency: 'usd' } } }));
    expect(bySupervisor.status).toBe(201);
    expect(bySupervisor.body.balance).toEqual({
      measure: 'USD',
      limit: 250000,
      used: 0,
      remaining: 250000,
      overdrawn: false,
    });
    const unlimited = await t.http
      .post('/v1/licences')
      .set(...bearer(supervisor))
      .send(licenceBody({ limit: undefined }));
    expect(unlimited.status).toBe(201);
    expect(unlimited.body).toMatchObject({ limit: null, balance: null });
    expect(await auditActions(t, [res.body.id])).toEqual(['licence.created']);
  });

  it('lets reviewers and auditors read, and nobody else write; brokers get 403 on every route', async () => {
    const made = await createLicence(t, supervisor);
    for (const key of [reviewer, auditor]) {
      expect((await t.http.get(`/v1/licences/${made.id}`).set(...bearer(key))).status).toBe(200);
      expect((await t.http.get('/v1/licences').set(...bearer(key))).status).toBe(200);
    }
    const before = await count();
    for (const key of [reviewer, auditor, broker]) {
      expect(
        (
          await t.http
            .post('/v1/licences')
            .set(...bearer(key))
            .send(licenceBody())
        ).status,
      ).toBe(403);
      expect(
        (
          await t.http
            .post(`/v1/licences/${made.id}/revoke`)
            .set(...bearer(key))
            .send({ reason: 'x' })
        ).status,
      ).toBe(403);
    }
    expect((await t.http.get('/v1/licences').set(...bearer(broker))).status).toBe(403);
    expect((await t.http.get(`/v1/licences/${made.id}`).set(...bearer(broker))).status).toBe(403);
    expect(await count()).toBe(before);
    expect(
      (await t.http.get('/v1/licences/00000000-0000-4000-8000-000000000000').set(...bearer(reviewer))).status,
    ).toBe(404);
  });

  it('refuses a duplicate number (trimmed, any case) with 409 and writes nothing', async () => {
    await createLicence(t, supervisor, { number: 'KZ-DUP-77' });
    const before = await count();
    const dup = await t.http
      .post('/v1/licences')
      .set(...bearer(supervisor))
      .send(licenceBody({ number: '  kz-dup-77 ' }));
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('licence_exists');
    expect(await count()).toBe(before);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ hsPrefixes: ['85A2'] }, 'body.hsPrefixes[0]'],
      [{ hsPrefixes: ['8'] }, 'body.hsPrefixes[0]'],
      [{ hsPrefixes: ['85423100001'] }, 'body.hsPrefixes[0]'],
      [{ hsPrefixes: [] }, 'body.hsPrefixes'],
      [{ destinationCountries: ['XX'] }, 'body.destinationCountries[0]'],
      [{ validFrom: day(10), validTo: day(1) }, 'body.validTo'],
      [{ validTo: '2026-02-30' }, 'body.validTo'],
      [{ limit: { quantity: -1, unit: 'pcs' } }, 'body.limit'],
      [{ limit: { value: { amount: 10, currency: 'XYZ' } } }, 'body.limit'],
      [{ number: '' }, 'body.number'],
      [{ holder: { name: 'X', country: 'KZ', role: 'exporter' } }, 'body.holder'],
    ];
    for (const [overrides, path] of cases) {
      const res = await t.http
        .post('/v1/licences')
        .set(...bearer(supervisor))
        .send(licenceBody(overrides));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).some((p: string) => p.startsWith(path))).toBe(true);
    }
    expect(await count()).toBe(before);
  });

  it('lists newest first with number and status filters and pages; revokes once, audited', async () => {
    const expired = await createLicence(t, supervisor, { validFrom: day(-400), validTo: day(-5) });
    const future = await createLicence(t, supervisor, { validFrom: day(5), validTo: day(50) });
    const revoked = await createLicence(t, supervisor);
    const res = await t.http
      .post(`/v1/licences/${revoked.id}/revoke`)
      .set(...bearer(supervisor))
      .send({ reason: 'Contract cancelled' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', revokeReason: 'Contract cancelled' });
    const again = await t.http
      .post(`/v1/licences/${revoked.id}/revoke`)
      .set(...bearer(t.adminKey))
      .send({ reason: 'Twice' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'revoked',
      revokeReason: 'Contract cancelled',
      revokedAt: res.body.revokedAt,
    });
    expect(await auditActions(t, [revoked.id])).toEqual(['licence.created', 'licence.revoked']);
    expect(
      (
        await t.http
          .post(`/v1/licences/${revoked.id}/revoke`)
          .set(...bearer(supervisor))
          .send({})
      ).status,
    ).toBe(400);

    const byStatus = async (status: string) =>
      (await t.http.get(`/v1/licences?status=${status}&limit=500`).set(...bearer(reviewer))).body.items.map(
        (l: { id: string }) => l.id,
      );
    expect(await byStatus('expired')).toEqual([expired.id]);
    expect(await byStatus('not_yet_valid')).toEqual([future.id]);
    expect(await byStatus('revoked')).toEqual([revoked.id]);
    expect(await byStatus('active')).not.toContain(revoked.id);
    const byNumber = await t.http
      .get(`/v1/licences?number=${encodeURIComponent(expired.number.toLowerCase())}`)
      .set(...bearer(auditor));
    expect(byNumber.body.items.map((l: { id: string }) => l.id)).toEqual([expired.id]);

    const first = await t.http.get('/v1/licences?limit=1').set(...bearer(reviewer));
    expect(first.body.items.map((l: { id: string }) => l.id)).toEqual([revoked.id]);
    const second = await t.http.get(`/v1/licences?limit=1&cursor=${first.body.nextCursor}`).set(...bearer(reviewer));
    expect(second.body.items.map((l: { id: string }) => l.id)).toEqual([future.id]);
    expect((await t.http.get('/v1/licences?status=lapsed').set(...bearer(reviewer))).status).toBe(400);
  });
});
