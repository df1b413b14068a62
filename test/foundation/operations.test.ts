import { bearer, startTestService, type TestService } from '../support/test-service';

describe('operations endpoints', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());

  it('answers liveness and readiness of database and Redis', async () => {
    expect((await t.http.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok', lists: 'ok' });
    expect(ready.body.lists).toEqual({ chpl: expect.any(String), un: expect.any(String) });
  });

  it('exposes Prometheus metrics: requests and latency by route, job counts, queue depth', async () => {
    await t.http.get('/v1/api-keys').set(...bearer(t.adminKey));
    await t.http.get('/v1/api-keys/not-a-uuid').set(...bearer(t.adminKey));
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/api-keys",status="200"\} \d+/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/v1\/api-keys"\}/);
    expect(res.text).toContain('# TYPE jobs_total counter');
    expect(res.text).toMatch(/job_queue_depth\{state="waiting"\} \d+/);
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('describes every API route in /openapi.json, generated from the zod schemas', async () => {
    const res = await t.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/api-keys',
      '/v1/api-keys/{id}',
      '/v1/audit/events',
      '/v1/audit/verify',
      '/v1/lists',
      '/v1/lists/{listId}/versions',
      '/v1/goods/{code}',
    ]) {
      expect(res.body.paths).toHaveProperty([path]);
    }
    const create = res.body.paths['/v1/api-keys'].post;
    expect(create.requestBody.content['application/json'].schema).toBeDefined();
    expect(JSON.stringify(res.body.components.schemas.CreateApiKey)).toContain('broker');
  });

  it('serves the API docs page from local assets', async () => {
    const res = await t.http.get('/docs/').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
    expect(res.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });

  it('tags every response with a request id and echoes a given one', async () => {
    const res = await t.http.get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect((await t.http.get('/healthz')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
