import { declaration, indexed, OFAC_2019, submit, uploadList } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';

describe('POST /v1/declarations', () => {
  let t: TestService;
  let broker: string;
  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    const v = await uploadList(t.http, t.adminKey, 'ofac-sdn', 'ofac-sdn-csv', OFAC_2019);
    await indexed(t.service, 'ofac-sdn', v.id);
  }, 90000);
  afterAll(() => t.close());

  const ds = () => t.service.db.dataSource;
  async function counts() {
    const [c] = await ds()
      .query(`SELECT (SELECT count(*) FROM declarations)::int AS d, (SELECT count(*) FROM screenings)::int AS s,
      (SELECT count(*) FROM audit_events WHERE subject_type IN ('declaration', 'case'))::int AS a,
      (SELECT count(*) FROM outbox WHERE job_name IN ('webhooks.dispatch', 'cases.escalate'))::int AS o, (SELECT count(*) FROM idempotency_keys)::int AS k,
      (SELECT count(*) FROM review_cases)::int AS c`);
    return c;
  }

  it('clears an unremarkable declaration and records the list and rule set versions used', async () => {
    const res = await submit(t.http, broker, declaration());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: 'cleared',
      caseId: null,
      screening: { outcome: 'CLEAR', riskScore: 0, hits: [] },
    });
    expect(res.body.screening.listVersions).toEqual(
      expect.objectContaining({ chpl: expect.any(String), 'ofac-sdn': expect.any(String) }),
    );
    expect(res.body.screening.rulesetVersion).toMatch(/^2026\.11\.1\+[0-9a-f]{12}$/);
    expect(res.headers['idempotency-replayed']).toBe('false');
  });

  it('sends a CHPL tier-1 code bound for Russia to review with a goods and a route hit', async () => {
    const res = await submit(
      t.http,
      broker,
      declaration({
        procedure: 'export',
        countryOfDestination: 'RU',
        consignee: { name: 'Vostok Components', country: 'RU' },
        items: [
          {
            lineNo: 1,
            hsCode: '8542.31.000.0',
            description: 'Microcontrollers STM32',
            countryOfOrigin: 'CN',
            value: { amount: 5000, currency: 'USD' },
          },
        ],
      }),
    );
    expect(res.status).toBe(201);
    // Goods (high, 30) plus a high-risk destination with controlled goods (40): 70, no listed party, no override.
    expect(res.body.screening).toMatchObject({ outcome: 'REVIEW', riskScore: 70 });
    expect(res.body.status).toBe('under_review');
    expect(res.body.caseId).toEqual(expect.any(String));
    // The case's SLA needs no job (a sweep escalates it at its deadline), and no webhook of the organisation
    // subscribes: the submission wrote no outbox row at all.
    const [{ n }] = await ds().query(
      `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'cases.escalate' OR payload::text LIKE '%' || $1 || '%' OR payload::text LIKE '%' || $2 || '%'`,
      [res.body.id, res.body.caseId],
    );
    expect(n).toBe(0);
    expect((await ds().query(`SELECT count(*)::int AS n FROM webhooks`))[0].n).toBe(0);
    const hits = res.body.screening.hits;
    expect(hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'goods',
          severity: 'high',
          subject: 'items[0]',
          listId: 'chpl',
          entryId: '854231',
        }),
        expect.objectContaining({ kind: 'route', subject: 'countryOfDestination', matched: 'RU' }),
      ]),
    );
    for (const h of hits) expect(h.explanation).toEqual(expect.any(String));
  });

  it('catches a consignee written in Cyrillic that is on the SDN list, and explains the match', async () => {
    const res = await submit(t.http, broker, declaration({ consignee: { name: 'Геннадий Тимченко', country: 'RU' } }));
    expect(res.status).toBe(201);
    const party = res.body.screening.hits.find((h: { kind: string }) => h.kind === 'party');
    expect(party).toMatchObject({
      subject: 'consignee',
      listId: 'ofac-sdn',
      entryId: '16666',
      matched: expect.stringMatching(/TIMCHENKO/i),
      severity: 'critical',
    });
    // A strong match (at or above the block band), hence BLOCK below.
    expect(party.score).toBeGreaterThanOrEqual(0.95);
    expect(party.evidence.match.tokens.length).toBeGreaterThan(0);
    expect(res.body.screening.outcome).toBe('BLOCK');
  });

  it('blocks on an exact identifier of a listed entity even under another name', async () => {
    const res = await submit(
      t.http,
      broker,
      declaration({
        carrier: { name: 'Blue Horizon Shipping', country: 'PA', identifiers: [{ type: 'IMO', value: 'IMO 9187629' }] },
      }),
    );
    const party = res.body.screening.hits.find((h: { kind: string }) => h.kind === 'party');
    expect(party).toMatchObject({
      subject: 'carrier',
      listId: 'ofac-sdn',
      score: 1,
      severity: 'critical',
      evidence: { matchKind: 'identifier' },
    });
    expect(res.body.screening.outcome).toBe('BLOCK');
  });

  it('answers an invalid Kazakh BIN with a warning hit, not a rejection', async () => {
    const res = await submit(
      t.http,
      broker,
      declaration({
        consignee: {
          name: 'Astana Interiors LLP',
          country: 'KZ',
          identifiers: [{ type: 'BIN', value: '940140000386' }],
        },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.screening.hits).toEqual([
      expect.objectContaining({ kind: 'indicator', severity: 'low', subject: 'consignee.identifiers[0]' }),
    ]);
  });

  it('flags controlled goods made in a country that bans their export to Russia when declared for transit', async () => {
    const res = await submit(
      t.http,
      broker,
      declaration({
        procedure: 'transit',
        countryOfDispatch: 'DE',
        countryOfDestination: 'KG',
        transitCountries: ['KZ'],
        items: [
          {
            lineNo: 1,
            hsCode: '852691',
            description: 'GNSS receivers',
            countryOfOrigin: 'DE',
            value: { amount: 9000, currency: 'EUR' },
          },
        ],
      }),
    );
    expect(res.body.screening.hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'route', subject: 'items[0]', matched: 'DE', severity: 'high' }),
        expect.objectContaining({
          kind: 'route',
          subject: 'countryOfDestination',
          matched: 'KG',
          evidence: expect.objectContaining({ rule: 'diversion-hub' }),
        }),
      ]),
    );
    // KG is a diversion hub: the shipped rule set's override makes restricted-origin goods bound there a BLOCK (issue 12).
    expect(res.body.screening.outcome).toBe('BLOCK');
  });

  it('flags a controlled item named in the description under a harmless code, and a code that does not exist', async () => {
    const res = await submit(
      t.http,
      broker,
      declaration({
        items: [
          {
            lineNo: 1,
            hsCode: '9503.00',
            description: 'Toy quadcopter drone with thermal imaging camera',
            countryOfOrigin: 'CN',
            value: { amount: 100, currency: 'USD' },
          },
          {
            lineNo: 2,
            hsCode: '999999',
            description: 'Spare parts',
            countryOfOrigin: 'CN',
            value: { amount: 100, currency: 'USD' },
          },
        ],
      }),
    );
    const kinds = res.body.screening.hits.map(
      (h: { kind: string; subject: string; evidence: { rule: string } }) => `${h.subject}:${h.evidence.rule}`,
    );
    expect(kinds).toEqual(expect.arrayContaining(['items[0]:controlled-description', 'items[1]:unknown-hs-code']));
  });

  it('writes nothing for an invalid body and names each field', async () => {
    const before = await counts();
    const bad = declaration({
      countryOfDestination: 'XX',
      items: [
        { lineNo: 1, hsCode: '85A', description: 'x', countryOfOrigin: 'CN', value: { amount: -1, currency: 'ZZZ' } },
        { lineNo: 1, hsCode: '8542', description: 'y', countryOfOrigin: 'CN', value: { amount: 1, currency: 'USD' } },
      ],
    });
    const res = await submit(t.http, broker, bad);
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.countryOfDestination',
        'body.items[0].hsCode',
        'body.items[0].value.amount',
        'body.items[0].value.currency',
        'body.items[1].lineNo',
      ]),
    );
    expect(await counts()).toEqual(before);
  });

  it('requires an Idempotency-Key and replays the first answer for the same key and body', async () => {
    const body = declaration();
    const missing = await t.http
      .post('/v1/declarations')
      .set(...bearer(broker))
      .send(body);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('idempotency_key_required');
    const first = await submit(t.http, broker, body, 'key-replay-1');
    const again = await submit(t.http, broker, body, 'key-replay-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await submit(t.http, broker, { ...body, procedure: 'export' }, 'key-replay-1');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('files exactly one declaration when the same request is sent concurrently', async () => {
    const body = declaration();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => submit(t.http, broker, body, 'key-concurrent-1')),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const [{ n }] = await ds().query(`SELECT count(*)::int AS n FROM declarations WHERE reference = $1`, [
      body.reference,
    ]);
    expect(n).toBe(1);
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    expect(ids.size).toBe(1);
  });

  it('keeps references unique per organisation', async () => {
    const body = declaration();
    expect((await submit(t.http, broker, body)).status).toBe(201);
    const dup = await submit(t.http, broker, body);
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('reference_exists');
    const otherOrg = await t.key('broker', 'other-brokers');
    expect((await submit(t.http, otherOrg, body)).status).toBe(201);
  });
});
