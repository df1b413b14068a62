import { Client } from 'pg';
import { bearer, startTestService, type TestService } from '../support/test-service';

describe('database session timeouts', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ DB_STATEMENT_TIMEOUT_MS: 4000, DB_LOCK_TIMEOUT_MS: 500, AUTH_CACHE_MS: 0 });
  });
  afterAll(() => t?.close());

  it('sets statement_timeout and lock_timeout on every pooled connection', async () => {
    const [statement] = await t.service.db.dataSource.query('SHOW statement_timeout');
    const [lock] = await t.service.db.dataSource.query('SHOW lock_timeout');
    expect(statement.statement_timeout).toBe('4s');
    expect(lock.lock_timeout).toBe('500ms');
  });

  it('answers 503 with Retry-After when a request waits on a lock past lock_timeout', async () => {
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
      const res = await t.http.get('/v1/api-keys').set(...bearer(t.adminKey));
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 503, code: 'database_busy' });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await t.http.get('/v1/api-keys').set(...bearer(t.adminKey))).status).toBe(200);
  });
});
