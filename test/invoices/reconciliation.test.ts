import { submit } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { citingDeclaration, invoiceBody, invoiceFindings, postInvoice } from './helpers';

/**
 * Screening reconciles a declaration with the invoices it cites: each kind of mismatch through the public API (file
 * the invoice, submit a declaration citing it, read its hits), and a late invoice re-screening an open declaration.
 */
describe('invoice reconciliation in screening', () => {
  let t: TestService;
  let broker: string;
  let reviewer: string;

  /** Files the invoice (with overrides), submits the declaration citing it, and returns the broker's answer. */
  async function screenAgainst(
    invoiceOverrides: Record<string, unknown>,
    declarationOverrides: Record<string, unknown> = {},
  ) {
    const invoice = invoiceBody(invoiceOverrides);
    const filed = await postInvoice(t, broker, invoice);
    expect(filed.status).toBe(201);
    const res = await submit(t.http, broker, citingDeclaration([invoice.number], declarationOverrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  const lines = () => invoiceBody().lines;

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await t.key('reviewer', 'customs-authority');
  }, 60000);
  afterAll(async () => t.close());

  it('raises none of the invoice findings when the invoice matches the declaration', async () => {
    const answer = await screenAgainst({});
    expect(invoiceFindings(answer.screening)).toEqual([]);
    expect(answer.screening.outcome).toBe('CLEAR');
    const read = await t.http.get(`/v1/declarations/${answer.id}`).set(...bearer(broker));
    expect(read.body.declaration.invoiceNumbers).toHaveLength(1);
  });

  it('reports a cited invoice that was never filed (invoice-missing), and one filed by another organisation', async () => {
    const res = await submit(t.http, broker, citingDeclaration(['ESF-NEVER-FILED']));
    expect(res.status).toBe(201);
    expect(invoiceFindings(res.body.screening)).toEqual([['invoiceNumbers[0]', 'invoice-missing']]);
    const hit = res.body.screening.hits.find(
      (h: { evidence: { rule: string } }) => h.evidence.rule === 'invoice-missing',
    );
    expect(hit).toMatchObject({
      kind: 'indicator',
      matched: 'ESF-NEVER-FILED',
      evidence: { invoiceNumber: 'ESF-NEVER-FILED' },
    });
    expect(hit.explanation).toContain('ESF-NEVER-FILED');

    const other = await t.key('broker', 'globex-brokers');
    const theirs = invoiceBody();
    expect((await postInvoice(t, other, theirs)).status).toBe(201);
    const mine = await submit(t.http, broker, citingDeclaration([theirs.number]));
    expect(invoiceFindings(mine.body.screening)).toEqual([['invoiceNumbers[0]', 'invoice-missing']]);
  });

  it('reports a line whose HS code differs from its invoice line at 6 digits (invoice-hs-differs)', async () => {
    const answer = await screenAgainst({ lines: [lines()[0], { ...lines()[1], hsCode: '8473.30' }] });
    expect(invoiceFindings(answer.screening)).toEqual([['items[1]', 'invoice-hs-differs']]);
  });

  it('reports a quantity beyond the tolerance (invoice-quantity-differs), not one within it', async () => {
    const beyond = await screenAgainst({ lines: [{ ...lines()[0], quantity: 48 }, lines()[1]] });
    expect(invoiceFindings(beyond.screening)).toEqual([['items[0]', 'invoice-quantity-differs']]);
    const within = await screenAgainst({ lines: [{ ...lines()[0], quantity: 41 }, lines()[1]] });
    expect(invoiceFindings(within.screening)).toEqual([]);
  });

  it('reports a value beyond the tolerance (invoice-value-differs), and a currency difference instead of comparing values', async () => {
    const beyond = await screenAgainst({ lines: [lines()[0], { ...lines()[1], value: 12500 }] });
    expect(invoiceFindings(beyond.screening)).toEqual([['items[1]', 'invoice-value-differs']]);
    const hit = beyond.screening.hits.find(
      (h: { evidence: { rule: string } }) => h.evidence.rule === 'invoice-value-differs',
    );
    expect(hit.explanation).toContain('declared value 9000 USD differs by 28.0% from 12500 USD');
    const euros = await screenAgainst({ currency: 'EUR' });
    expect(invoiceFindings(euros.screening)).toEqual([
      ['items[0]', 'invoice-currency-differs'],
      ['items[1]', 'invoice-currency-differs'],
    ]);
  });

  it('reports a line whose origin differs from its invoice line (invoice-origin-differs)', async () => {
    const answer = await screenAgainst({ lines: [{ ...lines()[0], countryOfOrigin: 'DE' }, lines()[1]] });
    expect(invoiceFindings(answer.screening)).toEqual([['items[0]', 'invoice-origin-differs']]);
  });

  it('reports a seller that is not the consignor, by identifier and by name (invoice-seller-not-consignor)', async () => {
    const byId = await screenAgainst({
      seller: { name: 'TOO Astana Trade', country: 'KZ', identifiers: [{ type: 'BIN', value: '171140900016' }] },
    });
    expect(invoiceFindings(byId.screening)).toEqual([['consignor', 'invoice-seller-not-consignor']]);
    const byName = await screenAgainst({ seller: { name: 'Shymkent Export LLP', country: 'KZ' } });
    expect(invoiceFindings(byName.screening)).toEqual([['consignor', 'invoice-seller-not-consignor']]);
    // The same company written with its legal form in front and no identifier on the invoice is the consignor.
    const same = await screenAgainst({ seller: { name: 'TOO Astana Trade', country: 'KZ' } });
    expect(invoiceFindings(same.screening)).toEqual([]);
  });

  it('reports a declared line with no counterpart on the invoice (invoice-line-missing)', async () => {
    const answer = await screenAgainst({ lines: [lines()[0]] });
    expect(invoiceFindings(answer.screening)).toEqual([['items[1]', 'invoice-line-missing']]);
  });

  it('gives reviewers the weights of the findings, which count towards the risk score', async () => {
    const answer = await screenAgainst({
      lines: [
        { ...lines()[0], countryOfOrigin: 'DE' },
        { ...lines()[1], hsCode: '8473.30' },
      ],
      seller: { name: 'Shymkent Export LLP', country: 'KZ' },
    });
    expect(answer.screening.hits.some((h: Record<string, unknown>) => 'weight' in h)).toBe(false);
    const read = await t.http.get(`/v1/declarations/${answer.id}`).set(...bearer(reviewer));
    const weights = Object.fromEntries(
      read.body.screening.hits.map((h: { evidence: { rule: string }; weight: number }) => [h.evidence.rule, h.weight]),
    );
    expect(weights).toEqual({
      'invoice-origin-differs': 30,
      'invoice-hs-differs': 25,
      'invoice-seller-not-consignor': 20,
    });
    expect(read.body.riskScore).toBe(75);
    expect(read.body.outcome).toBe('REVIEW');
  });

  it('refuses a declaration citing the same invoice twice or more than 20 invoices (400)', async () => {
    const twice = await submit(t.http, broker, citingDeclaration(['ESF-A', 'ESF-A']));
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([
      { path: 'body.invoiceNumbers[1]', message: expect.stringContaining('cited twice') },
    ]);
    const many = await submit(t.http, broker, citingDeclaration(Array.from({ length: 21 }, (_, i) => `ESF-${i}`)));
    expect(many.status).toBe(400);
    expect(many.body.errors[0].path).toBe('body.invoiceNumbers');
  });

  it('re-screens an open declaration of the organisation when the invoice it cites arrives, and leaves the others', async () => {
    const number = `ESF-LATE-${Date.now()}`;
    const controlled = {
      countryOfDestination: 'RU',
      consignee: { name: 'Vostok Components', country: 'RU' },
      items: [
        {
          lineNo: 1,
          hsCode: '8542.31.000.0',
          description: 'Microcontrollers STM32',
          countryOfOrigin: 'CN',
          quantity: 500,
          unit: 'pcs',
          value: { amount: 5000, currency: 'USD' },
        },
      ],
    };
    const open = await submit(t.http, broker, citingDeclaration([number], controlled));
    expect(open.status).toBe(201);
    expect(open.body.status).toBe('under_review');
    expect(invoiceFindings(open.body.screening)).toEqual([['invoiceNumbers[0]', 'invoice-missing']]);
    // Cleared (only the missing invoice against it): its screening is the record it was cleared on, left as it is.
    const cleared = await submit(t.http, broker, citingDeclaration([number]));
    expect(cleared.body.status).toBe('cleared');
    // Another organisation's open declaration citing the same number is not about this invoice.
    const other = await t.key('broker', 'initech-brokers');
    const foreign = await submit(t.http, other, citingDeclaration([number], controlled));
    expect(foreign.body.status).toBe('under_review');

    const invoice = invoiceBody({
      number,
      buyer: { name: 'Vostok Components', country: 'RU' },
      lines: [
        {
          lineNo: 1,
          hsCode: '854231',
          description: 'Microcontrollers STM32',
          quantity: 500,
          unit: 'pcs',
          value: 5000,
          countryOfOrigin: 'CN',
        },
      ],
    });
    const filed = await postInvoice(t, broker, invoice);
    expect(filed.status).toBe(201);

    const read = await t.http.get(`/v1/declarations/${open.body.id}`).set(...bearer(reviewer));
    expect(read.body.status).toBe('under_review');
    expect(read.body.screening.trigger).toBe('rescreen');
    expect(invoiceFindings(read.body.screening)).toEqual([]);
    expect(read.body.previousScreenings).toHaveLength(1);
    expect(invoiceFindings(read.body.previousScreenings[0])).toEqual([['invoiceNumbers[0]', 'invoice-missing']]);
    expect(read.body.history.map((e: { action: string }) => e.action)).toContain('declaration.rescreened');
    const brokerView = await t.http.get(`/v1/declarations/${open.body.id}`).set(...bearer(broker));
    expect(brokerView.body.screening.trigger).toBe('rescreen');

    for (const [id, key] of [
      [cleared.body.id, broker],
      [foreign.body.id, other],
    ] as const) {
      const unchanged = await t.http.get(`/v1/declarations/${id}`).set(...bearer(key));
      expect({
        id,
        previous: unchanged.body.previousScreenings.length,
        findings: invoiceFindings(unchanged.body.screening),
      }).toEqual({ id, previous: 0, findings: [['invoiceNumbers[0]', 'invoice-missing']] });
    }
    const [audit] = await t.service.db.dataSource.query(
      `SELECT data FROM audit_events WHERE action = 'invoice.created' AND subject_id = $1`,
      [filed.body.id],
    );
    expect(audit.data.rescreened).toEqual([open.body.id]);
  });
});
