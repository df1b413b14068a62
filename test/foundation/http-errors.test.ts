import { bearer, startTestService, type TestService } from '../support/test-service';

describe('error responses', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ BODY_LIMIT_BYTES: 2048 });
  });
  afterAll(() => t.close());

  async function counts() {
    const [{ keys }] = await t.service.db.dataSource.query(`SELECT count(*)::int AS keys FROM api_keys`);
    // Background jobs (the seed list's re-screening) may write their own events meanwhile: count this feature's.
    const [{ events }] = await t.service.db.dataSource.query(
      `SELECT count(*)::int AS events FROM audit_events WHERE action LIKE 'api_key.%'`,
    );
    return { keys, events };
  }

  function expectProblem(
    res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
    status: number,
    code: string,
  ) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status,
      code,
      title: expect.any(String),
      detail: expect.any(String),
      type: expect.stringContaining(code),
    });
  }

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const before = await counts();
    const res = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .set('Content-Type', 'application/json')
      .send('{"name": "x", ');
    expectProblem(res, 400, 'malformed_json');
    expect(await counts()).toEqual(before);
  });

  it('answers a wrong content type with 415', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .set('Content-Type', 'text/plain')
      .send('name=x');
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('answers a body over the limit with 413 and writes nothing', async () => {
    const before = await counts();
    const res = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: 'x'.repeat(5000), role: 'broker', organization: 'acme' });
    expectProblem(res, 413, 'payload_too_large');
    expect(await counts()).toEqual(before);
  });

  it('names every invalid field', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(...bearer(t.adminKey))
      .send({ name: '', role: 'king', extra: 1 });
    expectProblem(res, 400, 'validation_failed');
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.role', 'body.organization']));
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get('/v1/nothing-here');
    expectProblem(res, 404, 'route_not_found');
  });

  it('hides unexpected errors behind a 500 with a correlation id', async () => {
    // A key id that is not a uuid never reaches the database (400); a database outage does: close the pool under it.
    const broken = await startTestService();
    const key = await broken.key('admin');
    await broken.service.db.dataSource.destroy();
    const res = await broken.http
      .get('/v1/api-keys')
      .set(...bearer(key))
      .set('X-Request-Id', 'req-abc-123');
    expectProblem(res, 500, 'internal_error');
    expect(res.body.correlationId).toBe('req-abc-123');
    expect(JSON.stringify(res.body)).not.toMatch(/pool|typeorm|stack/i);
    await broken.close();
  });
});
