import { createHash, randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { bearer } from './test-service';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A minimal one-page PDF, padded with a binary stream to `size` bytes (so large ones span several stored chunks). */
export function pdf(size = 2048): Buffer {
  const head = Buffer.from(
    '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n3 0 obj << /Length 0 >> stream\n',
    'latin1',
  );
  const tail = Buffer.from('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length - tail.length)), tail]);
}

/** A 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export function uploadDocument(
  http: TestAgent,
  key: string,
  declarationId: string,
  content: Buffer,
  filename = 'document.pdf',
  contentType = 'application/pdf',
) {
  return http
    .post(`/v1/declarations/${declarationId}/documents`)
    .set(...bearer(key))
    .attach('file', content, { filename, contentType });
}

/** GETs a document and collects its body as bytes, whatever its type. */
export function downloadDocument(
  http: TestAgent,
  key: string,
  declarationId: string,
  documentId: string,
  headers: Record<string, string> = {},
) {
  return http
    .get(`/v1/declarations/${declarationId}/documents/${documentId}`)
    .set(...bearer(key))
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}
