import { declaration, submit } from '../support/factories';
import { PNG, downloadDocument, pdf, sha256, uploadDocument } from '../support/documents';
import { bearer, startTestService, type TestService } from '../support/test-service';
import { keyWithId, reviewLevelDeclaration, submitForCase } from '../cases/helpers';
import { loadConfig } from '../../src/config/config';
import { documentsOfDeclaration } from '../../src/documents/documents.repository';

const CAP = 1024 * 1024;

describe('declaration documents', () => {
  let t: TestService;
  let broker: string;
  let otherBroker: string;
  let reviewer: { id: string; secret: string; person?: string };
  let supervisor: string;
  let auditor: string;
  let declarationId: string;
  let caseId: string;
  const ds = () => t.service.db.dataSource;

  async function stored() {
    const [row] = await ds()
      .query(`SELECT (SELECT count(*)::int FROM declaration_documents) AS documents, (SELECT count(*)::int FROM declaration_document_chunks) AS chunks,
      (SELECT count(*)::int FROM audit_events WHERE action = 'declaration.document_added') AS events`);
    return row as { documents: number; chunks: number; events: number };
  }

  beforeAll(async () => {
    t = await startTestService({ DOCUMENT_MAX_BYTES: CAP });
    broker = await t.key('broker', 'acme-brokers');
    otherBroker = await t.key('broker', 'rival-brokers');
    reviewer = await keyWithId(t, 'reviewer');
    supervisor = await t.key('supervisor', 'customs-authority');
    auditor = await t.key('auditor', 'customs-authority');
    ({ declarationId, caseId } = (await submitForCase(t, broker, reviewLevelDeclaration())) as {
      declarationId: string;
      caseId: string;
    });
    expect(caseId).toBeTruthy();
  }, 60000);
  afterAll(() => t.close());

  it('defaults to a 10 MiB cap and the five sniffable types', () => {
    const config = loadConfig({}, {});
    expect(config.DOCUMENT_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(config.DOCUMENT_TYPES).toEqual([
      'application/pdf',
      'image/png',
      'image/jpeg',
      'image/tiff',
      'application/xml',
    ]);
    expect(() => loadConfig({}, { DOCUMENT_TYPES: 'application/pdf,application/zip' })).toThrow(/DOCUMENT_TYPES/);
  });

  it("stores a broker's PDF in chunks and gives the same bytes back, streamed, to the broker and the authority", async () => {
    const file = pdf(700 * 1024);
    const res = await uploadDocument(t.http, broker, declarationId, file, 'Licence № 12.pdf');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      declarationId,
      filename: 'Licence № 12.pdf',
      contentType: 'application/pdf',
      size: file.length,
      sha256: sha256(file),
      createdAt: expect.any(String),
    });
    expect(res.headers.location).toBe(`/v1/declarations/${declarationId}/documents/${res.body.id}`);
    const chunks: { seq: number; size: number }[] = await ds().query(
      `SELECT seq, length(data) AS size FROM declaration_document_chunks WHERE document_id = $1 ORDER BY seq`,
      [res.body.id],
    );
    expect(chunks).toEqual([
      { seq: 0, size: 262144 },
      { seq: 1, size: 262144 },
      { seq: 2, size: file.length - 2 * 262144 },
    ]);

    for (const key of [broker, reviewer.secret, supervisor, auditor]) {
      const got = await downloadDocument(t.http, key, declarationId, res.body.id);
      expect(got.status).toBe(200);
      expect(Buffer.compare(got.body as Buffer, file)).toBe(0);
      expect(sha256(got.body as Buffer)).toBe(res.body.sha256);
      expect(got.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(file.length),
        'x-content-type-options': 'nosniff',
        etag: `"${sha256(file)}"`,
        'content-disposition': `attachment; filename="Licence _ 12.pdf"; filename*=UTF-8''Licence%20%E2%84%96%2012.pdf`,
      });
    }
    const again = await downloadDocument(t.http, broker, declarationId, res.body.id, {
      'If-None-Match': `"${sha256(file)}"`,
    });
    expect(again.status).toBe(304);
    const head = await t.http
      .head(`/v1/declarations/${declarationId}/documents/${res.body.id}`)
      .set(...bearer(auditor));
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({ 'content-length': String(file.length), etag: `"${sha256(file)}"` });

    const [event] = await ds().query(
      `SELECT actor, subject_type, subject_id, data FROM audit_events WHERE action = 'declaration.document_added' AND data->>'documentId' = $1`,
      [res.body.id],
    );
    expect(event).toMatchObject({
      subject_type: 'declaration',
      subject_id: declarationId,
      actor: { role: 'broker', organization: 'acme-brokers' },
      data: {
        documentId: res.body.id,
        sha256: sha256(file),
        size: file.length,
        contentType: 'application/pdf',
        filename: 'Licence № 12.pdf',
        declaredType: 'application/pdf',
      },
    });
  });

  it('takes the type from the bytes: a PNG named scan.pdf and declared as PDF is a PNG', async () => {
    const res = await uploadDocument(t.http, reviewer.secret, declarationId, PNG, 'scan.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      contentType: 'image/png',
      size: PNG.length,
      sha256: sha256(PNG),
      uploadedBy: { keyId: reviewer.id, person: reviewer.person, role: 'reviewer' },
    });
    const got = await downloadDocument(t.http, auditor, declarationId, res.body.id);
    expect(got.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(got.body as Buffer, PNG)).toBe(0);
  });

  it('lists documents for the authority, in the case and the internal declaration view; the broker sees only its own uploads', async () => {
    const staff = await t.http.get(`/v1/declarations/${declarationId}/documents`).set(...bearer(auditor));
    expect(staff.status).toBe(200);
    expect(staff.body.items.map((d: { filename: string }) => d.filename)).toEqual(['Licence № 12.pdf', 'scan.pdf']);
    const mine = await t.http.get(`/v1/declarations/${declarationId}/documents`).set(...bearer(broker));
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).not.toHaveProperty('uploadedBy');
    // What the authority attached is part of the review: not listed, not downloadable for the broker.
    const reviewersDoc = staff.body.items[1].id;
    expect((await downloadDocument(t.http, broker, declarationId, reviewersDoc)).status).toBe(404);

    const caseView = await t.http.get(`/v1/cases/${caseId}`).set(...bearer(reviewer.secret));
    expect(caseView.body.documents).toEqual(staff.body.items);
    const internal = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(supervisor));
    expect(internal.body.documents).toEqual(staff.body.items);
    const brokerView = await t.http.get(`/v1/declarations/${declarationId}`).set(...bearer(broker));
    expect(brokerView.body).not.toHaveProperty('documents');
  });

  it("answers another organisation's broker 404 on upload, list and download, and stores nothing", async () => {
    const [doc] = (await t.http.get(`/v1/declarations/${declarationId}/documents`).set(...bearer(auditor))).body.items;
    const before = await stored();
    const up = await uploadDocument(t.http, otherBroker, declarationId, pdf());
    expect(up.status).toBe(404);
    expect((await t.http.get(`/v1/declarations/${declarationId}/documents`).set(...bearer(otherBroker))).status).toBe(
      404,
    );
    expect((await downloadDocument(t.http, otherBroker, declarationId, doc.id)).status).toBe(404);
    expect(await stored()).toEqual(before);
  });

  it('refuses a file over DOCUMENT_MAX_BYTES with 413 and stores nothing', async () => {
    const before = await stored();
    const res = await uploadDocument(t.http, broker, declarationId, pdf(CAP + 1));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    expect(await stored()).toEqual(before);
    // Exactly at the cap is allowed.
    expect((await uploadDocument(t.http, broker, declarationId, pdf(CAP))).status).toBe(201);
  });

  it.each([
    [
      'an HTML page named x.pdf, declared as PDF',
      Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
    ],
    [
      'a ZIP named x.pdf, declared as PDF',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.alloc(5000, 1)]),
    ],
    [
      'a Windows executable named x.pdf',
      Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(300 * 1024, 7)]),
    ],
    [
      'an SVG with a script',
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
  ])('refuses %s with 415 and stores nothing', async (_name, content) => {
    const before = await stored();
    const res = await uploadDocument(t.http, broker, declarationId, content, 'x.pdf', 'application/pdf');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('document_type_not_allowed');
    expect(await stored()).toEqual(before);
  });

  it('refuses uploads without exactly one file part named file (400), a JSON body (415) and other roles (403)', async () => {
    const before = await stored();
    const url = `/v1/declarations/${declarationId}/documents`;
    const wrongName = await t.http
      .post(url)
      .set(...bearer(broker))
      .attach('document', pdf(), 'a.pdf');
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.errors[0].path).toBe('body.document');
    const onlyField = await t.http
      .post(url)
      .set(...bearer(broker))
      .field('note', 'here is the licence');
    expect(onlyField.status).toBe(400);
    expect(onlyField.body.code).toBe('unexpected_field');
    const twoFiles = await t.http
      .post(url)
      .set(...bearer(broker))
      .attach('file', pdf(), 'a.pdf')
      .attach('file', pdf(), 'b.pdf');
    expect(twoFiles.status).toBe(400);
    expect(twoFiles.body.code).toBe('too_many_files');
    const empty = await uploadDocument(t.http, broker, declarationId, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'body.file', message: 'the file is empty' }]);
    const noParts = await t.http
      .post(url)
      .set(...bearer(broker))
      .set('Content-Type', 'multipart/form-data; boundary=x')
      .send('--x--\r\n');
    expect(noParts.status).toBe(400);
    expect(noParts.body.errors).toEqual([{ path: 'body.file', message: 'required: one file part named "file"' }]);
    const badName = await uploadDocument(t.http, broker, declarationId, pdf(), 'a\tb.pdf');
    expect(badName.status).toBe(400);
    expect(badName.body.errors[0].path).toBe('body.file.filename');
    const longName = await uploadDocument(t.http, broker, declarationId, pdf(), `${'n'.repeat(300)}.pdf`);
    expect(longName.status).toBe(400);
    expect(longName.body.errors[0].path).toBe('body.file.filename');
    const json = await t.http
      .post(url)
      .set(...bearer(broker))
      .send({ file: 'JVBERi0=' });
    expect(json.status).toBe(415);
    const admin = await uploadDocument(t.http, t.adminKey, declarationId, pdf());
    expect(admin.status).toBe(403);
    const auditorUpload = await uploadDocument(t.http, auditor, declarationId, pdf());
    expect(auditorUpload.status).toBe(403);
    const unknown = await uploadDocument(t.http, broker, '00000000-0000-4000-8000-000000000000', pdf());
    expect(unknown.status).toBe(404);
    expect(await stored()).toEqual(before);
  });

  it('tells other features which cited ids are documents of a declaration', async () => {
    const other = await submit(t.http, broker, declaration());
    const theirs = await uploadDocument(t.http, broker, other.body.id, pdf());
    const ours = (await t.http.get(`/v1/declarations/${declarationId}/documents`).set(...bearer(auditor))).body.items;
    const found = await documentsOfDeclaration(ds().manager, declarationId, [
      ours[0].id,
      theirs.body.id,
      'not-a-uuid',
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(found.map((d) => d.id)).toEqual([ours[0].id]);
  });

  it('keeps documents: the database refuses changing their bytes or deleting them', async () => {
    const [doc] = (await t.http.get(`/v1/declarations/${declarationId}/documents`).set(...bearer(auditor))).body.items;
    await expect(
      ds().query(`UPDATE declaration_document_chunks SET data = '\\x00' WHERE document_id = $1`, [doc.id]),
    ).rejects.toThrow(/append-only/);
    await expect(ds().query(`UPDATE declaration_documents SET sha256 = 'x' WHERE id = $1`, [doc.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(ds().query(`DELETE FROM declaration_documents WHERE id = $1`, [doc.id])).rejects.toThrow(
      /DELETE refused/,
    );
  });
});
