import type { BrowserContext } from 'playwright-core';
import { declaration, submit } from '../support/factories';
import { startTestService, type TestService } from '../support/test-service';
import { launchChromium, listen, logIn, openConsole, screenshot } from './support/browser';

/**
 * The declarations page's search filters in Debian's Chromium (issue 13): a reviewer searches a party in Latin script
 * and finds the Cyrillic one, narrows by HS code and organisation, and the filters stay in the URL hash (a reload or a
 * shared link shows the same search). A broker gets no organisation filter.
 */
describe('web console: declaration search (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };
  const refs: Record<string, string> = {};
  let reviewer = '';
  let broker = '';

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    const globex = await t.key('broker', 'globex-logistics');
    reviewer = await t.key('reviewer', 'customs-authority');
    const line = (hsCode: string) => [
      { lineNo: 1, hsCode, description: 'Parts', countryOfOrigin: 'CN', value: { amount: 100, currency: 'USD' } },
    ];
    const add = async (key: string, name: string, consignee: string, hsCode: string) => {
      const res = await submit(
        t.http,
        key,
        declaration({ reference: name, consignee: { name: consignee, country: 'KZ' }, items: line(hsCode) }),
      );
      expect(res.status).toBe(201);
      refs[name] = res.body.reference;
    };
    await add(broker, 'ACME-CYR', 'ВОСТОК ООО', '8482.10');
    await add(broker, 'ACME-LAT', 'Vostok Bearings LLP', '9403.60');
    await add(broker, 'ACME-OTHER', 'Astana Interiors LLP', '8482.10');
    await add(globex, 'GLOBEX-VOSTOK', 'Vostok Trade', '8482.10');
    server = await listen(t);
    chromium = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
  });

  // Functions, not strings: the console's CSP forbids eval, which a string predicate needs. The test build has no DOM types.
  type Browser = { location: { hash: string }; document: { querySelectorAll(selector: string): { length: number } } };
  const hashIncludes = (page: import('playwright-core').Page, part: string) =>
    page.waitForFunction((p) => (globalThis as unknown as Browser).location.hash.includes(p), part);
  const rowsShown = (page: import('playwright-core').Page, n: number) =>
    page.waitForFunction(
      (count) => (globalThis as unknown as Browser).document.querySelectorAll('table.data tbody tr').length === count,
      n,
    );
  const shownReferences = async (page: import('playwright-core').Page): Promise<string[]> =>
    page.locator('table.data tbody tr th').allTextContents();

  it('searches by party across scripts, HS code and organisation, with the filters in the URL hash', async () => {
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      await logIn(s.page, reviewer);
      await s.page.evaluate('location.hash = "#/declarations"');
      await s.page.waitForSelector('main[data-page="declarations"][aria-busy="false"]');
      await s.page.getByLabel('Party name').fill('Vostok');
      await s.page.getByLabel('HS code').fill('8482');
      await s.page.getByRole('button', { name: 'Search' }).click();
      await hashIncludes(s.page, 'party=Vostok');
      await s.page.waitForSelector('main[data-page="declarations"][aria-busy="false"]');
      await expect(shownReferences(s.page)).resolves.toEqual(['GLOBEX-VOSTOK', 'ACME-CYR']);
      expect(await s.page.evaluate('location.hash')).toBe('#/declarations?party=Vostok&hsCode=8482');

      await s.page.getByLabel('Organisation').fill('acme-brokers');
      await s.page.getByRole('button', { name: 'Search' }).click();
      await hashIncludes(s.page, 'organization=acme-brokers');
      await s.page.waitForSelector('main[data-page="declarations"][aria-busy="false"]');
      await expect(shownReferences(s.page)).resolves.toEqual(['ACME-CYR']);
      await expect(s.page.getByLabel('Party name').inputValue()).resolves.toBe('Vostok');
      await screenshot(s.page, 'declaration-search');

      // A shared link opens the same search.
      await s.page.evaluate(`location.hash = "#/declarations?party=${encodeURIComponent('восток')}"`);
      await rowsShown(s.page, 3);
      await expect(shownReferences(s.page)).resolves.toEqual(['GLOBEX-VOSTOK', 'ACME-LAT', 'ACME-CYR']);
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('gives a broker the search without an organisation filter, over its own declarations only', async () => {
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      await logIn(s.page, broker);
      await s.page.waitForSelector('main[data-page="declarations"][aria-busy="false"]');
      await expect(s.page.getByLabel('Organisation').count()).resolves.toBe(0);
      await s.page.getByLabel('Party name').fill('ВОСТОК');
      await s.page.getByRole('button', { name: 'Search' }).click();
      await hashIncludes(s.page, 'party=');
      await rowsShown(s.page, 2);
      await expect(shownReferences(s.page)).resolves.toEqual(['ACME-LAT', 'ACME-CYR']);
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
