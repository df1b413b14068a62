import type { BrowserContext } from 'playwright-core';
import { submit } from '../support/factories';
import { startTestService, type TestService } from '../support/test-service';
import { citingDeclaration, invoiceBody, postInvoice } from '../invoices/helpers';
import { launchChromium, listen, logIn, openConsole, screenshot, visit } from './support/browser';

/**
 * The invoice panel of the case view in Debian's Chromium: a reviewer opens a case whose declaration cites an invoice
 * that differs from it and one that was never filed, and sees each declared line beside its invoice line with the
 * differences screening found marked.
 */
describe('web console: invoice panel (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let reviewer: string;
  let caseId: string;
  let number: string;

  beforeAll(async () => {
    t = await startTestService();
    const broker = await t.key('broker', 'acme-brokers');
    reviewer = await t.key('reviewer', 'customs-authority');
    const invoice = invoiceBody({
      seller: { name: 'Shymkent Export LLP', country: 'KZ' },
      buyer: { name: 'Vostok Components', country: 'RU' },
      lines: [
        {
          lineNo: 1,
          hsCode: '8542.31',
          description: 'Microcontrollers STM32',
          quantity: 500,
          unit: 'pcs',
          value: 5000,
          countryOfOrigin: 'US',
        },
        {
          lineNo: 2,
          hsCode: '9403.60',
          description: 'Wooden office desks',
          quantity: 48,
          unit: 'pcs',
          value: 18000,
          countryOfOrigin: 'TR',
        },
      ],
    });
    number = invoice.number;
    expect((await postInvoice(t, broker, invoice)).status).toBe(201);
    const res = await submit(
      t.http,
      broker,
      citingDeclaration([number, 'ESF-GHOST'], {
        countryOfDestination: 'RU',
        consignee: { name: 'Vostok Components', country: 'RU' },
        items: [
          {
            lineNo: 1,
            hsCode: '8542.31.000.0',
            description: 'Microcontrollers STM32',
            countryOfOrigin: 'CN',
            quantity: 500,
            unit: 'pcs',
            value: { amount: 5000, currency: 'USD' },
          },
          {
            lineNo: 2,
            hsCode: '9403.60',
            description: 'Wooden office desks',
            countryOfOrigin: 'TR',
            quantity: 40,
            unit: 'pcs',
            value: { amount: 18000, currency: 'USD' },
          },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.caseId).toEqual(expect.any(String));
    caseId = res.body.caseId;
    server = await listen(t);
    chromium = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
  });

  it('shows the cited invoices beside the declared lines with the mismatches marked', async () => {
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      await logIn(s.page, reviewer);
      await visit(s.page, `#/cases/${caseId}`, 'case');
      const panel = s.page.getByRole('region', { name: 'Invoices (2)' });
      const rows = panel.getByRole('table', { name: 'Declared lines beside their invoice lines' }).getByRole('row');
      await rows.nth(2).waitFor();
      await expect(
        panel.getByText('Invoice ESF-GHOST is cited but was never filed by acme-brokers.').count(),
      ).resolves.toBe(1);
      await expect(panel.getByRole('term').filter({ hasText: 'Seller' }).count()).resolves.toBe(1);
      await expect(panel.locator('dd.mismatch mark').textContent()).resolves.toBe('Shymkent Export LLP (KZ)');

      // Line 1: same HS and quantity, origin differs (CN declared, US invoiced). Line 2: quantity differs.
      const first = rows.nth(1);
      await expect(first.locator('td.mismatch mark').allTextContents()).resolves.toEqual(['US']);
      await expect(first.textContent()).resolves.toContain(`${number} / 1`);
      await expect(first.textContent()).resolves.toContain('declared origin CN, but invoice');
      const second = rows.nth(2);
      await expect(second.locator('td.mismatch mark').allTextContents()).resolves.toEqual(['48 pcs']);
      await expect(second.textContent()).resolves.toContain('differs by 16.7%');

      await panel.scrollIntoViewIfNeeded();
      await screenshot(s.page, 'invoice-panel');
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
