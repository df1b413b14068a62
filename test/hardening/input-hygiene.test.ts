import { randomUUID } from 'node:crypto';
import { declaration, submit } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('input hygiene and forged cursors (400 naming the field, never 500)', () => {
  let t: TestService;
  let broker: string;
  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker');
  });
  afterAll(() => t?.close());

  const refused = async (
    res: { status: number; body: { code?: string; errors?: { path: string }[] }; headers: Record<string, string> },
    path: string,
  ) => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors?.map((e) => e.path)).toContain(path);
  };

  it('refuses U+0000, other C0 controls and lone surrogates in a declaration, naming the field', async () => {
    await refused(await submit(t.http, broker, declaration({ reference: 'REF\u0000-1' })), 'body.reference');
    await refused(
      await submit(t.http, broker, declaration({ consignee: { name: 'ACME\u0000 LLC', country: 'KZ' } })),
      'body.consignee.name',
    );
    const line = declaration().items[0];
    await refused(
      await submit(t.http, broker, declaration({ items: [{ ...line, description: 'desks\u0000' }] })),
      'body.items[0].description',
    );
    await refused(
      await submit(t.http, broker, declaration({ items: [{ ...line, description: 'desks \u001b[31m' }] })),
      'body.items[0].description',
    );
    await refused(
      await submit(t.http, broker, declaration({ consignor: { name: 'Anadolu \uD83D Mobilya', country: 'TR' } })),
      'body.consignor.name',
    );
    await refused(await submit(t.http, broker, declaration({ reference: 'REF\t1' })), 'body.reference');
    await refused(await submit(t.http, broker, declaration({ reference: 'REF\n1' })), 'body.reference');
    const { count } = (await t.service.db.dataSource.query('SELECT count(*)::int AS count FROM declarations'))[0];
    expect(count).toBe(0);
  });

  it('accepts tab, CR and LF in free text and well-formed non-ASCII everywhere', async () => {
    const line = declaration().items[0];
    const res = await submit(
      t.http,
      broker,
      declaration({
        consignee: { name: 'ТОО «Астана Интерьерс» 😀', country: 'KZ', address: 'Kabanbay Batyr 1\r\nAstana' },
        items: [{ ...line, description: 'Wooden desks\n\twith drawers' }],
      }),
    );
    expect(res.status).toBe(201);
  });

  it('refuses bad strings in query strings, other bodies, multipart fields and the Idempotency-Key header', async () => {
    await refused(await t.http.get('/v1/declarations?reference=A%00B').set(...bearer(broker)), 'query.reference');
    await refused(await t.http.get('/v1/declarations?reference=A%0AB').set(...bearer(broker)), 'query.reference');
    await refused(
      await t.http
        .post('/v1/screen/parties')
        .set(...bearer(broker))
        .send({ parties: [{ name: 'Ivan\u0000' }] }),
      'body.parties[0].name',
    );
    await refused(
      await t.http
        .post('/v1/webhooks')
        .set(...bearer(broker))
        .send({ url: 'https://example.com/hook', events: ['case.decided'], description: 'x\u0000' }),
      'body.description',
    );
    await refused(
      await t.http
        .post('/v1/api-keys')
        .set(...bearer(t.adminKey))
        .send({ name: 'k\u0007', role: 'broker', organization: 'acme' }),
      'body.name',
    );
    const upload = await t.http
      .post('/v1/lists/hygiene/versions')
      .set(...bearer(t.adminKey))
      .field('format', 'entities-csv\u0000')
      .field('kind', 'entities')
      .attach('file', Buffer.from('id,name\nE1,X\n'), 'list.csv');
    await refused(upload, 'body.format');
    const key = await submit(t.http, broker, declaration(), `key\twith-tab-${randomUUID()}`);
    expect(key.status).toBe(400);
    expect(key.body.code).toBe('idempotency_key_invalid');
  });

  it('answers a forged or damaged cursor with 400 on every collection', async () => {
    const forged = [
      'not base64!',
      b64('{"at":'),
      b64([1, 2]),
      b64({ at: '2026-01-01T00:00:00.000Z', id: 'not-a-uuid' }),
      b64({ at: '2026-01-01', id: randomUUID() }),
      b64({ at: '+275760-09-13T00:00:00.000Z', id: randomUUID() }),
      b64({ at: '2026-01-01T00:00:00.000Z', id: '------------------------------------' }),
      b64({ at: '2026-01-01T00:00:00.000Z\u0000', id: randomUUID() }),
    ];
    const routes: [string, string][] = [
      ['/v1/declarations', broker],
      ['/v1/api-keys', t.adminKey],
      ['/v1/webhooks', broker],
      ['/v1/cases?order=newest', t.adminKey],
    ];
    const reviewer = await t.key('supervisor', 'customs-authority');
    routes[3][1] = reviewer;
    for (const [path, key] of routes) {
      for (const cursor of forged) {
        const res = await t.http
          .get(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`)
          .set(...bearer(key));
        expect({ path, cursor, status: res.status }).toEqual({ path, cursor, status: 400 });
        expect(res.body.errors?.[0]?.path).toBe('query.cursor');
      }
    }
    const claim = [
      b64({ p: 99999999999, d: '2026-01-01T00:00:00.000Z', c: '2026-01-01T00:00:00.000Z', id: randomUUID() }),
      b64({ p: 1, d: 'x', c: 'y', id: randomUUID() }),
    ];
    for (const cursor of claim)
      expect((await t.http.get(`/v1/cases?cursor=${cursor}`).set(...bearer(reviewer))).status).toBe(400);
    // A genuine cursor still pages.
    for (let i = 0; i < 3; i += 1) expect((await submit(t.http, broker, declaration())).status).toBe(201);
    const first = await t.http.get('/v1/declarations?limit=1').set(...bearer(broker));
    const second = await t.http.get(`/v1/declarations?limit=1&cursor=${first.body.nextCursor}`).set(...bearer(broker));
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });
});
