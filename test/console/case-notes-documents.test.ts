import { readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { declaration, submit } from '../support/factories';
import { PNG, pdf, sha256, uploadDocument } from '../support/documents';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { launchChromium, listen, logIn, openConsole, screenshot, visit, type ConsoleSession } from './support/browser';

/**
 * Case work in Debian's Chromium against the real service: a reviewer adds a note and uploads a PDF in the case view,
 * sees both (with the broker's own document), downloads a document with the same bytes; an auditor reads them
 * without the forms.
 */
describe('web console: case notes and documents (Chromium)', () => {
  let t: TestService;
  let server: { baseUrl: string; close(): Promise<void> };
  let chromium: { context: BrowserContext; close(): Promise<void> };
  const keys: Record<string, string> = {};
  const sessions: ConsoleSession[] = [];
  let caseId = '';
  let declarationId = '';
  const licence = pdf(300 * 1024);

  beforeAll(async () => {
    t = await startTestService();
    keys.broker = await t.key('broker', 'acme-brokers');
    for (const role of ['reviewer', 'auditor']) keys[role] = await t.key(role, 'customs-authority');
    const submitted = await submit(
      t.http,
      keys.broker,
      declaration({
        procedure: 'export',
        countryOfDispatch: 'KZ',
        countryOfDestination: 'RU',
        consignee: { name: 'Vostok Components', country: 'RU' },
        items: [
          {
            lineNo: 1,
            hsCode: '8542.31.000.0',
            description: 'Microcontrollers STM32',
            countryOfOrigin: 'CN',
            value: { amount: 5000, currency: 'USD' },
          },
        ],
      }),
    );
    expect(submitted.body.caseId).toBeTruthy();
    caseId = submitted.body.caseId;
    declarationId = submitted.body.id;
    expect(
      (await uploadDocument(t.http, keys.broker, declarationId, PNG, 'end-use-statement.png', 'image/png')).status,
    ).toBe(201);
    server = await listen(t);
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await t?.close();
  });

  afterEach(() => {
    for (const s of sessions) expect(s.problems).toEqual([]);
  });

  const open = async (): Promise<ConsoleSession> => {
    const s = await openConsole(chromium.context, server.baseUrl);
    sessions.push(s);
    return s;
  };

  it('a reviewer adds a note and uploads a PDF, and sees both in the case', async () => {
    const s = await open();
    await logIn(s.page, keys.reviewer);
    await visit(s.page, `#/cases/${caseId}`, 'case');
    const notes = s.page.getByRole('region', { name: /Notes/ });
    const documents = s.page.getByRole('region', { name: /Documents/ });
    expect(await notes.textContent()).toContain('No notes yet.');
    expect(await documents.textContent()).toContain('end-use-statement.png');

    const text = 'Asked the broker for the end-use statement.\nThe licence number on the invoice does not match.';
    await notes.getByLabel('New note').fill(text);
    await notes.getByRole('button', { name: 'Add note' }).click();
    await s.page.getByRole('status').filter({ hasText: 'Note added.' }).waitFor();
    await s.page.getByRole('heading', { name: 'Notes (1)' }).waitFor();
    expect(await s.page.locator('.note-text').first().innerText()).toBe(text);

    await s.page
      .getByRole('region', { name: /Documents/ })
      .getByLabel('Document file')
      .setInputFiles({ name: 'export-licence.pdf', mimeType: 'application/pdf', buffer: licence });
    await s.page
      .getByRole('region', { name: /Documents/ })
      .getByRole('button', { name: 'Upload', exact: true })
      .click();
    await s.page.getByRole('status').filter({ hasText: 'Document export-licence.pdf uploaded.' }).waitFor();
    await s.page.getByRole('heading', { name: 'Documents (2)' }).waitFor();
    const row = s.page.getByRole('row').filter({ hasText: 'export-licence.pdf' });
    expect(await row.textContent()).toMatch(/application\/pdf.*300 KiB/);
    await s.page.getByRole('region', { name: /Notes/ }).scrollIntoViewIfNeeded();
    await screenshot(s.page, 'case-notes-documents');

    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      row.getByRole('button', { name: 'Download export-licence.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('export-licence.pdf');
    expect(sha256(readFileSync(await download.path()))).toBe(sha256(licence));

    // What the browser sent is what the service stored, and the note is in the case for everyone at the authority.
    const detail = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(keys.auditor));
    expect(detail.body.notes.map((n: { text: string }) => n.text)).toEqual([text]);
    expect(detail.body.documents.find((d: { filename: string }) => d.filename === 'export-licence.pdf')).toMatchObject({
      sha256: sha256(licence),
      contentType: 'application/pdf',
    });
  }, 90_000);

  it('an auditor reads the notes and documents, without the forms', async () => {
    const s = await open();
    await logIn(s.page, keys.auditor);
    await visit(s.page, `#/cases/${caseId}`, 'case');
    await s.page.getByRole('heading', { name: 'Notes (1)' }).waitFor();
    await s.page.getByRole('heading', { name: 'Documents (2)' }).waitFor();
    expect(await s.page.getByRole('button', { name: 'Add note' }).count()).toBe(0);
    expect(await s.page.getByRole('button', { name: 'Upload', exact: true }).count()).toBe(0);
    await s.page.getByRole('region', { name: /Documents/ }).scrollIntoViewIfNeeded();
    await screenshot(s.page, 'case-notes-documents-auditor');
  }, 60_000);
});
