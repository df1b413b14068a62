import type { BrowserContext } from 'playwright-core';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { reviewLevelDeclaration, submitForCase } from '../cases/helpers';
import { launchChromium, listen, logIn, openConsole, screenshot, visit, type ConsoleSession } from './support/browser';

const MESSAGE = 'Please send the end-use statement for the microcontrollers on line 1.';
const ANSWER = 'End-use statement attached: the chips go into washing machines made in Almaty.';

/**
 * The request-for-information loop in Debian's Chromium: a reviewer claims a case, asks the broker for information
 * from the decision bar; the broker answers over the API; the case view shows the answer on top.
 */
describe('web console: request for information (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };
  let s: ConsoleSession;
  let broker: string;
  let reviewer: string;

  beforeAll(async () => {
    t = await startTestService();
    broker = await t.key('broker', 'acme-brokers');
    reviewer = await t.key('reviewer', 'customs-authority');
    server = await listen(t);
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
  });

  it('a reviewer requests information, the broker answers, and the answer is on top of the case', async () => {
    const { caseId, declarationId, answer } = await submitForCase(t, broker, reviewLevelDeclaration());
    s = await openConsole(chromium.context, server.baseUrl);
    await logIn(s.page, reviewer);
    await s.page.keyboard.press('n');
    await s.page.waitForSelector('main[data-page="case"][aria-busy="false"]');
    expect(s.page.url()).toContain(`#/cases/${caseId}`);

    // i: picks "Request information" and opens the message to the broker; the reason stays internal.
    await s.page.locator('h1').focus();
    await s.page.keyboard.press('i');
    const message = s.page.getByLabel('Message to the broker (required)');
    expect(await message.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // Without a message the form refuses and says why.
    await s.page.getByLabel('Reason (required)').fill('CHPL tier 1 to Russia; end use unknown.');
    await s.page.getByRole('button', { name: /Request information/ }).click();
    await s.page.getByRole('alert').filter({ hasText: 'Write the message to the broker' }).waitFor();
    await message.fill(MESSAGE);
    await screenshot(s.page, 'request-info-form');
    await s.page.getByRole('button', { name: /Request information/ }).click();
    await s.page
      .getByRole('status')
      .filter({ hasText: /Information requested/ })
      .waitFor();
    const panel = s.page.getByRole('region', { name: 'Information requested from the broker' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain(MESSAGE);
    expect(await panel.textContent()).toContain('waiting for the broker');
    expect(await s.page.locator('.status-line').textContent()).toMatch(/information requested.*SLA paused since/);
    // Out of the queue: no decision bar (nobody holds the case).
    expect(await s.page.getByRole('form', { name: /Decision/ }).count()).toBe(0);
    await screenshot(s.page, 'request-info-asked');

    await visit(s.page, '#/queue?status=information_requested', 'queue');
    const row = s.page.getByRole('row').filter({ hasText: answer.reference as string });
    expect(await row.textContent()).toContain('information requested');
    await visit(s.page, '#/declarations?status=information_requested', 'declarations');
    expect(
      await s.page
        .getByRole('row')
        .filter({ hasText: answer.reference as string })
        .count(),
    ).toBe(1);

    // The broker's console: the message and the dates, not the reason.
    const b = await openConsole(chromium.context, server.baseUrl);
    await logIn(b.page, broker);
    await visit(b.page, `#/declarations/${declarationId}`, 'declaration');
    const asked = b.page.getByRole('region', { name: 'Customs asks for information' });
    await asked.waitFor();
    expect(await asked.textContent()).toContain(MESSAGE);
    expect(await b.page.locator('main').textContent()).not.toContain('end use unknown');
    await screenshot(b.page, 'request-info-broker');
    expect(b.problems).toEqual([]);
    await b.close();

    const answered = await t.http
      .post(`/v1/declarations/${declarationId}/responses`)
      .set(...bearer(broker))
      .send({ message: ANSWER });
    expect(answered.status).toBe(201);

    await visit(s.page, `#/cases/${caseId}`, 'case');
    const top = s.page.getByRole('region', { name: 'The broker answered' });
    await top.waitFor();
    expect(await top.textContent()).toContain(ANSWER);
    expect(await top.textContent()).toContain(MESSAGE);
    // On top: before the declaration, the hits and the decision history.
    const order = (await s.page.evaluate(
      `[...document.querySelectorAll('main section, main .split')].map((e) => e.className.split(' ')[0])`,
    )) as string[];
    expect(order.indexOf('info-requests')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('info-requests')).toBeLessThan(order.indexOf('split'));
    expect(await s.page.locator('.status-line').textContent()).toMatch(/open/);
    expect(await s.page.locator('.status-line').textContent()).not.toMatch(/SLA paused/);
    await screenshot(s.page, 'request-info-answered');
    expect(s.problems).toEqual([]);
  }, 90_000);
});
