import { bearer, startTestService, type TestService } from '../support/test-service';

/** The console's assets: served by the service itself, strict CSP, no inline script, cache headers that fit each file. */
describe('web console assets', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t.close());

  it('serves one HTML page with a strict Content-Security-Policy and no inline script or style', async () => {
    const res = await t.http.get('/console');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const html = res.text;
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((await t.http.get('/console/')).status).toBe(200);
  });

  it('serves the hashed bundle and stylesheet as immutable, and the icon', async () => {
    const html = (await t.http.get('/console')).text;
    const js = /src="(\/console\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const css = /href="(\/console\/console-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    expect(js).toBeDefined();
    expect(css).toBeDefined();
    const script = await t.http.get(js!);
    expect(script.status).toBe(200);
    expect(script.type).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-security-policy']).toContain("default-src 'self'");
    const style = await t.http.get(css!);
    expect(style.status).toBe(200);
    expect(style.type).toBe('text/css');
    expect(style.headers['cache-control']).toContain('immutable');
    const icon = await t.http.get('/console/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers an unknown asset with the API 404 problem, not the page', async () => {
    const res = await t.http.get('/console/nothing-here.js');
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/problem+json');
  });

  it('tells the console who the key belongs to (GET /v1/me), never the secret', async () => {
    const key = await t.key('reviewer', 'customs-authority');
    const res = await t.http.get('/v1/me').set(...bearer(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      keyId: expect.any(String),
      name: 'reviewer key',
      role: 'reviewer',
      organization: 'customs-authority',
      person: expect.stringContaining('@'),
    });
    expect(JSON.stringify(res.body)).not.toContain(key);
    expect((await t.http.get('/v1/me')).status).toBe(401);
  });
});
