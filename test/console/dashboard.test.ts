import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { declaration, submit } from '../support/factories';
import { startTestService, type TestService } from '../support/test-service';
import { claim, decide, keyWithId, reviewLevelDeclaration, uploadWatchList, withConsignee } from '../cases/helpers';
import { ARTIFACTS, launchChromium, listen, logIn, openConsole, screenshot } from './support/browser';

const A = 'acme-brokers';
const B = 'globex-brokers';

function reexport(procedure: 'export' | 'transit', destination: string) {
  return declaration({
    procedure,
    countryOfDispatch: 'KZ',
    countryOfDestination: destination,
    consignee: { name: 'Steppe Components', country: destination },
    items: [
      {
        lineNo: 1,
        hsCode: '8542.31',
        description: 'Microcontrollers',
        countryOfOrigin: 'DE',
        value: { amount: 5000, currency: 'USD' },
      },
    ],
  });
}

/** The body cells of a panel's table view, opened with its toggle button (by keyboard: focus and Enter). */
async function tableRows(page: Page, panelId: string): Promise<string[][]> {
  const panel = page.locator(`section#${panelId}`);
  const toggle = panel.getByRole('button', { name: 'Table view' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await panel.locator('.table-view:not([hidden]) table').waitFor();
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  const rows = await panel
    .locator('.table-view tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
  await toggle.click();
  return rows;
}

async function kpis(page: Page): Promise<Record<string, string>> {
  return page
    .locator('.kpi')
    .evaluateAll((els) =>
      Object.fromEntries(
        els.map((e) => [e.querySelector('.kpi-label')!.textContent, e.querySelector('.kpi-value')!.textContent]),
      ),
    );
}

/** Supervisors and auditors on #/dashboard in Debian's Chromium, against figures seeded through the API. */
describe('web console: dashboard (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let reviewer: { id: string; secret: string };
  let reviewerName: string;

  beforeAll(async () => {
    t = await startTestService();
    server = await listen(t);
    chromium = await launchChromium({ width: 1280, height: 1000 });
    const brokerA = await t.key('broker', A);
    const brokerB = await t.key('broker', B);
    reviewer = await keyWithId(t, 'reviewer');
    [{ person: reviewerName }] = await t.service.db.dataSource.query(`SELECT person FROM api_keys WHERE id = $1`, [
      reviewer.id,
    ]);
    await uploadWatchList(t, 'watch', [{ id: 'N-1', name: 'Northwind Dual Trade LLC', countries: ['RU'] }]);
    const send = async (key: string, body: Record<string, unknown>) =>
      expect((await submit(t.http, key, body)).status).toBe(201);
    // Seeded: A has 3 clear, 1 review (CN origin), 2 re-export (DE -> RU, DE -> KG), 1 block; B has 2 clear, 1 re-export (DE -> RU).
    // First the one REVIEW-level case, which the reviewer decides (a release that closes it without a second person).
    const first = await submit(t.http, brokerA, reviewLevelDeclaration());
    expect((await claim(t, reviewer.secret)).body.id).toBe(first.body.caseId);
    expect(
      (await decide(t, reviewer.secret, first.body.caseId, { action: 'release', reason: 'End use verified' })).status,
    ).toBe(200);
    for (let i = 0; i < 3; i++) await send(brokerA, declaration());
    await send(brokerA, reexport('export', 'RU'));
    await send(brokerA, reexport('transit', 'KG'));
    await send(brokerA, withConsignee('Northwind Dual Trade LLC'));
    for (let i = 0; i < 2; i++) await send(brokerB, declaration());
    await send(brokerB, reexport('export', 'RU'));
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
  });

  it('lands a supervisor on the dashboard; every table view holds the seeded figures; CSV downloads; filters by organisation', async () => {
    const supervisor = await t.key('supervisor', 'customs-authority');
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      const login = await logIn(s.page, supervisor);
      expect(login.startPage).toBe('dashboard');
      await s.page.locator('#outcomes canvas').waitFor();
      expect(await kpis(s.page)).toMatchObject({
        Declarations: '10',
        'Re-export lines': '3',
        'Open cases': String(await openCases()),
      });
      await screenshot(s.page, 'dashboard-supervisor');

      const outcomes = await tableRows(s.page, 'outcomes');
      expect(outcomes).toHaveLength(30);
      const today = new Date().toISOString().slice(0, 10);
      const sums = outcomes.reduce(
        (n, r) => [n[0] + Number(r[1]), n[1] + Number(r[2]), n[2] + Number(r[3])],
        [0, 0, 0],
      );
      expect(sums[0] + sums[1] + sums[2]).toBe(10);
      expect(sums[2]).toBeGreaterThanOrEqual(1); // the listed consignee
      expect(outcomes.at(-1)![0]).toBe(today);
      expect(await tableRows(s.page, 'entries')).toContainEqual([
        'watch:N-1',
        'Northwind Dual Trade LLC',
        '1',
        '0',
        '0%',
      ]);
      const chapters = await tableRows(s.page, 'chapters');
      expect(chapters[0].slice(0, 1)).toEqual(['85']);
      expect(Number(chapters[0][2])).toBe(4); // 3 re-export lines and the review line, all 8542.31
      expect(await tableRows(s.page, 'routes')).toEqual([
        ['DE', 'RU', '2', '10,000', 'USD'],
        ['DE', 'KG', '1', '5,000', 'USD'],
      ]);
      expect(await s.page.locator('#routes table.heat tbody tr').first().locator('th, td').allTextContents()).toEqual([
        'DE',
        '2',
        '1',
        '3',
      ]);
      expect(await tableRows(s.page, 'throughput')).toEqual([[reviewerName, '1']]);
      const aging = await tableRows(s.page, 'aging');
      expect(aging.reduce((n, r) => n + Number(r[1]), 0)).toBe(await openCases());

      const [download] = await Promise.all([
        s.page.waitForEvent('download'),
        s.page.locator('#routes').getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^routes_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      expect(readFileSync(await download.path(), 'utf8')).toBe(
        'originCountry,destinationCountry,lines,value,currency\r\nDE,RU,2,10000,USD\r\nDE,KG,1,5000,USD\r\n',
      );

      await s.page.getByLabel('Organisation').fill(B);
      await s.page.getByRole('button', { name: 'Apply' }).click();
      await s.page.waitForURL(/organization=globex-brokers/);
      await s.page.waitForSelector('main[data-page="dashboard"][aria-busy="false"]');
      await s.page.locator('#outcomes canvas').waitFor();
      expect(await kpis(s.page)).toMatchObject({ Declarations: '3', 'Re-export lines': '1' });
      expect(await tableRows(s.page, 'routes')).toEqual([['DE', 'RU', '1', '5,000', 'USD']]);
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);

  it('lands an auditor on the dashboard and prints it as a one-page report', async () => {
    const auditor = await t.key('auditor', 'customs-authority');
    const s = await openConsole(chromium.context, server.baseUrl);
    try {
      const login = await logIn(s.page, auditor);
      expect(login.startPage).toBe('dashboard');
      await s.page.locator('#outcomes canvas').waitFor();
      expect(await kpis(s.page)).toMatchObject({ Declarations: '10', Block: expect.stringMatching(/^[1-9]/) });
      expect(await tableRows(s.page, 'entries')).toContainEqual([
        'watch:N-1',
        'Northwind Dual Trade LLC',
        '1',
        '0',
        '0%',
      ]);
      const canvas = s.page.locator('#entries canvas');
      expect(await canvas.getAttribute('role')).toBe('img');
      expect(await canvas.getAttribute('aria-label')).toMatch(/^Top hit list entries: Most hits: .+ \(\d+\)\.$/);
      await screenshot(s.page, 'dashboard-auditor');

      await s.page.emulateMedia({ media: 'print' });
      await s.page.screenshot({ path: join(ARTIFACTS, 'dashboard-print.png'), fullPage: true });
      const pdf = await s.page.pdf({
        format: 'A4',
        printBackground: true,
        path: join(ARTIFACTS, 'dashboard-report.pdf'),
      });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
      await s.page.emulateMedia({ media: 'screen' });
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);

  async function openCases(): Promise<number> {
    const [{ n }] = await t.service.db.dataSource.query(
      `SELECT count(*)::int AS n FROM review_cases WHERE closed_at IS NULL`,
    );
    return n;
  }
});
