import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { FileServer } from '../support/file-server';
import { bearer, eventually, startTestService, type TestService } from '../support/test-service';
import { launchChromium, listen, logIn, openConsole, screenshot } from './support/browser';

const UK_XML = readFileSync(join(__dirname, '..', 'fixtures', 'lists', 'uk-sanctions-sample.xml'));

/** The lists page in Debian's Chromium: each list's source, status and age, and the admins' "Refresh now". */
describe('web console: list sources (Chromium)', () => {
  let t: TestService;
  let files: FileServer;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    files = new FileServer();
    await files.start();
    t = await startTestService();
    server = await listen(t);
    chromium = await launchChromium();
    const url = files.serve('/uk.xml', { body: UK_XML });
    await t.http
      .put('/v1/lists/uk-console/source')
      .set(...bearer(t.adminKey))
      .send({ format: 'uk-sanctions-xml', url, name: 'UK sanctions (console)' });
    await eventually(
      async () =>
        (await t.http.get('/v1/lists/uk-console/source').set(...bearer(t.adminKey))).body.lastVersionStatus ===
        'active',
      30000,
    );
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
    await files?.stop();
  });

  it("shows an admin each list's source, status and age, and refreshes a source on request", async () => {
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      await logIn(s.page, t.adminKey);
      const row = s.page.getByRole('row').filter({ hasText: 'uk-console' }).first();
      await row.filter({ hasText: /ok.*checked .*\(new version\)/ }).waitFor();
      await expect(row.textContent()).resolves.toMatch(/\d+ s|\d+ min/); // the active version's age
      const chpl = s.page.getByRole('row').filter({ hasText: 'chpl' }).first();
      await expect(chpl.textContent()).resolves.toContain('uploads only');
      await expect(chpl.getByRole('button', { name: /Refresh/ }).count()).resolves.toBe(0);

      const before = files.requestsTo('/uk.xml').length;
      await row.getByRole('button', { name: 'Refresh uk-console now' }).click();
      await s.page
        .getByRole('status')
        .filter({ hasText: 'uk-console: checked, not modified.' })
        .waitFor({ timeout: 60_000 });
      expect(files.requestsTo('/uk.xml').length).toBe(before + 1);
      await s.page
        .getByRole('row')
        .filter({ hasText: 'uk-console' })
        .filter({ hasText: '(not modified)' })
        .first()
        .waitFor();
      await screenshot(s.page, 'list-sources');
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('shows an auditor the sources without the refresh button, and a stale source with its error', async () => {
    files.files.get('/uk.xml')!.failNext = 100;
    await t.service.db.dataSource.query(
      `UPDATE list_sources SET status = 'stale', last_outcome = 'error', last_error = 'file: HTTP 503 from 127.0.0.1', last_checked_at = now() WHERE list_id = 'uk-console'`,
    );
    const auditor = await t.key('auditor', 'customs-authority');
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      await logIn(s.page, auditor);
      await s.page.evaluate('location.hash = "#/lists"');
      // The auditor lands on the dashboard, whose list-age table has a uk-console row too: wait for the lists page's.
      const row = s.page
        .getByRole('row')
        .filter({ hasText: 'uk-console' })
        .filter({ hasText: /stale.*\(unreachable\).*HTTP 503/ })
        .first();
      await row.waitFor();
      await expect(row.getByRole('button', { name: /Refresh/ }).count()).resolves.toBe(0);
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
