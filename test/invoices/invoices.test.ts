import { bearer, startTestService, type TestService } from '../support/test-service';
import { invoiceBody, postInvoice } from './helpers';

describe('electronic invoices: filing and reading', () => {
  let t: TestService;
  let broker: string;
  let otherBroker: string;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.service.db.dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    otherBroker = await t.key('broker', 'globex-brokers');
  }, 60000);
  afterAll(async () => t.close());

  it("files an invoice for the broker's organisation (201, audited) and reads it back with its lines", async () => {
    const body = invoiceBody();
    const res = await postInvoice(t, broker, body);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/invoices/${res.body.id}`);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      organization: 'acme-brokers',
      number: body.number,
      date: '2026-11-20',
      currency: 'USD',
      totalValue: 27000,
      seller: body.seller,
      buyer: body.buyer,
      lines: body.lines,
      createdAt: expect.any(String),
    });
    const read = await t.http.get(`/v1/invoices/${res.body.id}`).set(...bearer(broker));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    const audit = await t.service.db.dataSource.query(
      `SELECT action, actor, data FROM audit_events WHERE subject_id = $1`,
      [res.body.id],
    );
    expect(audit).toEqual([
      {
        action: 'invoice.created',
        actor: expect.objectContaining({ role: 'broker', organization: 'acme-brokers' }),
        data: expect.objectContaining({ number: body.number, lineCount: 2, rescreened: [] }),
      },
    ]);
  });

  it("lists the organisation's invoices newest first, in pages, without their lines", async () => {
    const own = await t.key('broker', 'paging-brokers');
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postInvoice(t, own, invoiceBody());
      expect(res.status).toBe(201);
      numbers.unshift(res.body.number);
    }
    const first = await t.http.get('/v1/invoices?limit=2').set(...bearer(own));
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { number: string }) => i.number)).toEqual(numbers.slice(0, 2));
    expect(first.body.items[0]).toMatchObject({ lineCount: 2, organization: 'paging-brokers' });
    expect(first.body.items[0].lines).toBeUndefined();
    const second = await t.http.get(`/v1/invoices?limit=2&cursor=${first.body.nextCursor}`).set(...bearer(own));
    expect(second.body).toEqual({ items: [expect.objectContaining({ number: numbers[2] })], nextCursor: null });
    const byNumber = await t.http.get(`/v1/invoices?number=${numbers[1]}`).set(...bearer(own));
    expect(byNumber.body.items.map((i: { number: string }) => i.number)).toEqual([numbers[1]]);
  });

  it('keeps organisations apart: another broker gets 404 and an empty list; the customs authority reads any', async () => {
    const res = await postInvoice(t, broker, invoiceBody());
    expect(res.status).toBe(201);
    expect((await t.http.get(`/v1/invoices/${res.body.id}`).set(...bearer(otherBroker))).status).toBe(404);
    const theirs = await t.http.get(`/v1/invoices?number=${res.body.number}`).set(...bearer(otherBroker));
    expect(theirs.body.items).toEqual([]);
    // A broker's organisation filter cannot widen its reach.
    const widened = await t.http.get(`/v1/invoices?organization=acme-brokers`).set(...bearer(otherBroker));
    expect(widened.body.items.every((i: { organization: string }) => i.organization === 'globex-brokers')).toBe(true);
    for (const role of ['reviewer', 'supervisor', 'auditor']) {
      const key = await t.key(role, 'customs-authority');
      const read = await t.http.get(`/v1/invoices/${res.body.id}`).set(...bearer(key));
      expect({ role, status: read.status, number: read.body.number }).toEqual({
        role,
        status: 200,
        number: res.body.number,
      });
      const list = await t.http.get('/v1/invoices?organization=acme-brokers&limit=500').set(...bearer(key));
      expect(list.body.items.map((i: { id: string }) => i.id)).toContain(res.body.id);
    }
    const admin = await t.http.get(`/v1/invoices/${res.body.id}`).set(...bearer(t.adminKey));
    expect(admin.status).toBe(403);
  });

  it('only brokers file invoices', async () => {
    const reviewer = await t.key('reviewer', 'customs-authority');
    expect((await postInvoice(t, reviewer, invoiceBody())).status).toBe(403);
  });

  it('refuses a second invoice with the same number in the organisation (409), not in another one', async () => {
    const body = invoiceBody();
    expect((await postInvoice(t, broker, body)).status).toBe(201);
    const again = await postInvoice(t, broker, { ...body, currency: 'EUR' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invoice_exists');
    expect(await count(`SELECT count(*) AS n FROM invoices WHERE number = $1`, [body.number])).toBe(1);
    expect((await postInvoice(t, otherBroker, body)).status).toBe(201);
  });

  it('refuses a seller or buyer BIN/IIN with a wrong check digit (400) and writes nothing', async () => {
    const invoicesBefore = await count(`SELECT count(*) AS n FROM invoices`);
    const auditBefore = await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'invoice.created'`);
    const badBin = invoiceBody({
      seller: { name: 'TOO Astana Trade', country: 'KZ', identifiers: [{ type: 'BIN', value: '940140000386' }] },
    });
    const res = await postInvoice(t, broker, badBin);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'body.seller.identifiers[0].value', message: expect.stringContaining('not a valid BIN') },
    ]);
    const badIin = invoiceBody({
      buyer: { name: 'Aigerim Nurlanovna', country: 'KZ', identifiers: [{ type: 'IIN', value: '900101300001' }] },
    });
    const iin = await postInvoice(t, broker, badIin);
    expect(iin.status).toBe(400);
    expect(iin.body.errors[0].path).toBe('body.buyer.identifiers[0].value');
    expect(await count(`SELECT count(*) AS n FROM invoices`)).toBe(invoicesBefore);
    expect(await count(`SELECT count(*) AS n FROM audit_events WHERE action = 'invoice.created'`)).toBe(auditBefore);
    expect(await count(`SELECT count(*) AS n FROM invoices WHERE number = $1`, [badBin.number])).toBe(0);
  });

  it('validates the invoice: lines (at most 999, unique numbers), HS codes, currency, date; and the body size', async () => {
    const line = invoiceBody().lines[0];
    const cases: [Record<string, unknown>, string][] = [
      [{ lines: Array.from({ length: 1000 }, (_, i) => ({ ...line, lineNo: i + 1 })) }, 'body.lines'],
      [{ lines: [line, { ...line }] }, 'body.lines[1].lineNo'],
      [{ lines: [{ ...line, hsCode: '94x' }] }, 'body.lines[0].hsCode'],
      [{ lines: [] }, 'body.lines'],
      [{ currency: 'XYZ' }, 'body.currency'],
      [{ date: '2026-13-01' }, 'body.date'],
      [{ lines: [{ ...line, quantity: -1 }] }, 'body.lines[0].quantity'],
    ];
    for (const [override, path] of cases) {
      const res = await postInvoice(t, broker, invoiceBody(override));
      expect({ path, status: res.status, paths: (res.body.errors ?? []).map((e: { path: string }) => e.path) }).toEqual(
        { path, status: 400, paths: expect.arrayContaining([path]) },
      );
    }
    const huge = invoiceBody({
      lines: Array.from({ length: 999 }, (_, i) => ({ ...line, lineNo: i + 1, description: 'd'.repeat(1000) })),
    });
    const big = await postInvoice(t, broker, huge);
    expect(big.status).toBe(413);
    expect(await count(`SELECT count(*) AS n FROM invoices WHERE number = $1`, [huge.number])).toBe(0);
  });
});
