import type { BrowserContext } from 'playwright-core';
import { submit } from '../support/factories';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { controlledExport, createLicence, day } from '../licences/support';
import { launchChromium, listen, logIn, openConsole, screenshot, visit } from './support/browser';

/** A reviewer in Debian's Chromium sees, in the case view, which goods are licensed and the cited licences' balances. */
describe('web console: licences in the case view (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    t = await startTestService();
    server = await listen(t);
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
  });

  it('shows licensed and problem goods hits and a licence panel with each cited licence and its balance', async () => {
    const supervisor = await t.key('supervisor', 'customs-authority');
    const reviewer = await t.key('reviewer', 'customs-authority');
    const broker = await t.key('broker', 'acme-brokers');
    const valid = await createLicence(t, supervisor, { number: 'KZ-EXP-2026-0042' });
    const expired = await createLicence(t, supervisor, {
      number: 'KZ-EXP-2024-0007',
      hsPrefixes: ['8542'],
      validFrom: day(-400),
      validTo: day(-2),
    });
    const res = await submit(
      t.http,
      broker,
      controlledExport([
        { quantity: 40, licenceNumber: valid.number },
        { hsCode: '8542.39', description: 'FPGA boards', licenceNumber: expired.number },
        { hsCode: '8542.39', description: 'FPGA boards', licenceNumber: 'KZ-NOWHERE-1' },
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body.screening.outcome).toBe('REVIEW');
    const caseId = res.body.caseId as string;
    expect((await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer))).status).toBe(200);

    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      await logIn(s.page, reviewer);
      const shown = await visit(s.page, `#/cases/${caseId}`, 'case');
      expect(shown.renderMs).toBeLessThan(1000);

      const goods = s.page.locator('article.hit-goods');
      await expect(goods.count()).resolves.toBe(3);
      const line1 = goods.filter({ hasText: 'line 1' });
      await expect(line1.locator('.licence-status.licensed').innerText()).resolves.toContain(
        'KZ-EXP-2026-0042 (60 pcs left after this line)',
      );
      const line2 = goods.filter({ hasText: 'line 2' });
      await expect(line2.locator('.licence-status.licence-problem').innerText()).resolves.toMatch(
        /licence expired\s+KZ-EXP-2024-0007/,
      );
      const line3 = goods.filter({ hasText: 'line 3' });
      await expect(line3.locator('.licence-status.licence-problem').innerText()).resolves.toMatch(
        /licence unknown\s+KZ-NOWHERE-1/,
      );

      const panel = s.page.getByRole('region', { name: 'Licences cited (3)' });
      const validRow = panel.locator('tr[data-licence="KZ-EXP-2026-0042"]');
      await validRow.filter({ hasText: '100 of 100 pcs left' }).waitFor();
      await expect(validRow.innerText()).resolves.toMatch(
        /active[\s\S]*Kedendik Broker LLP \(KZ\)[\s\S]*854231[\s\S]*RU, KG/,
      );
      await expect(panel.locator('tr[data-licence="KZ-EXP-2024-0007"]').innerText()).resolves.toMatch(
        /\t2\t[\s\S]*expired/,
      );
      await expect(panel.locator('tr[data-licence="KZ-NOWHERE-1"]').innerText()).resolves.toContain(
        'not in the registry',
      );
      await panel.scrollIntoViewIfNeeded();
      await screenshot(s.page, 'licences');
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
