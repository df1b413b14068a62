import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startTestService, type TestService } from '../support/test-service';
import { COLD_LOGIN_PAGE_MS, launchChromium, listen, logIn, openConsole, screenshot, visit } from './support/browser';

const FIXTURE = join(__dirname, '..', 'fixtures', 'lists', 'entities-sample.csv');

/** Admins and auditors in Debian's Chromium: the lists page with an upload, the audit export and chain check. */
describe('web console: lists and audit (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestService();
    server = await listen(t);
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
    // Printed so a CI log shows the render times the assertions checked.
    process.stdout.write(`console render times (ms): ${JSON.stringify(timings)}\n`);
  });

  it('lets an admin see the lists, upload a new list and follow its import to active', async () => {
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      const login = await logIn(s.page, t.adminKey);
      expect(login.startPage).toBe('lists');
      timings['login page'] = Math.round(login.loginPageMs);
      timings.lists = Math.round(login.renderMs);
      expect(login.loginPageMs).toBeLessThan(COLD_LOGIN_PAGE_MS);
      expect(login.renderMs).toBeLessThan(1000);
      // The key is kept for the tab only, and never in the address.
      expect(s.page.url()).not.toContain(t.adminKey);
      expect(await s.page.evaluate('Object.values(sessionStorage)')).toContain(t.adminKey);

      const chpl = s.page.getByRole('row').filter({ hasText: 'chpl' }).first();
      await expect(chpl.isVisible()).resolves.toBe(true);
      await chpl.getByRole('button', { name: 'Versions' }).click();
      await s.page
        .getByRole('table', { name: /Versions of/ })
        .first()
        .waitFor();

      const upload = s.page.getByRole('form', { name: 'Upload a new version' });
      await upload.getByLabel('List id').fill('console-watch');
      await upload.getByLabel('Format').selectOption('entities-csv');
      await upload.getByLabel('Kind (new lists only)').selectOption('entities');
      await upload.getByLabel('Name (optional)').fill('Console watch list');
      await upload
        .getByLabel('File')
        .setInputFiles({ name: 'entities.csv', mimeType: 'text/csv', buffer: readFileSync(FIXTURE) });
      await upload.getByRole('button', { name: 'Upload' }).click();
      await s.page
        .getByRole('status')
        .filter({ hasText: /Import of console-watch finished: active/ })
        .waitFor({ timeout: 30_000 });
      await s.page.getByRole('row').filter({ hasText: 'Console watch list' }).filter({ hasText: 'active' }).waitFor();
      // The activation's delta re-screening is followed too (no declarations here: nothing to check, done at once).
      await upload
        .getByRole('status')
        .filter({ hasText: /re-screening completed: 0 of 0 checked, 0 flagged/ })
        .waitFor({ timeout: 30_000 });
      await screenshot(s.page, 'lists');
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('lets an auditor download the log as CSV and NDJSON and verify the chain', async () => {
    const auditor = await t.key('auditor', 'customs-authority');
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      const login = await logIn(s.page, auditor);
      expect(login.startPage).toBe('dashboard'); // auditors land on the dashboard (issue 11)
      const audit = await visit(s.page, '#/audit', 'audit');
      timings.audit = Math.round(audit.renderMs);
      expect(audit.renderMs).toBeLessThan(1000);

      const exportForm = s.page.getByRole('form', { name: 'Export the decision log' });
      for (const format of ['CSV', 'NDJSON'] as const) {
        await exportForm.getByLabel(format, { exact: true }).check();
        const [download] = await Promise.all([
          s.page.waitForEvent('download'),
          exportForm.getByRole('button', { name: 'Download' }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(
          format === 'CSV' ? /^audit-events_.*\.csv$/ : /^audit-events_.*\.ndjson$/,
        );
        const text = readFileSync(await download.path(), 'utf8');
        if (format === 'CSV') expect(text).toMatch(/^seq,occurredAt,/);
        else expect(JSON.parse(text.trim().split('\n').at(-1)!)).toHaveProperty('manifest');
        await s.page
          .locator('#export-result')
          .filter({ hasText: /events .*Chain head at export/ })
          .waitFor();
      }

      await s.page.getByRole('button', { name: 'Verify chain' }).click();
      const verdict = s.page.locator('#verify-result');
      await verdict.filter({ hasText: 'Chain intact' }).waitFor();
      expect(await verdict.textContent()).toMatch(/\d+ events checked; head seq \d+/);
      await screenshot(s.page, 'audit');

      const lists = await visit(s.page, '#/lists', 'lists');
      timings['lists (auditor)'] = Math.round(lists.renderMs);
      expect(lists.renderMs).toBeLessThan(1000);
      // Auditors do not upload.
      expect(await s.page.getByRole('form', { name: 'Upload a new version' }).count()).toBe(0);

      await s.page.getByRole('button', { name: 'Log out' }).click();
      await s.page.getByLabel('API key').waitFor();
      expect(await s.page.evaluate('sessionStorage.length')).toBe(0);
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
