import { createHash, randomBytes } from 'node:crypto';
import { CHUNK_BYTES, ReceivedDocument } from './received-document';
import { SNIFF_BYTES } from './sniff';

const ALLOWED = ['application/pdf', 'image/png'];

/** Feeds `content` in pieces of the given sizes (cycled), as a network stream would. */
function feed(content: Buffer, sizes: number[]): ReceivedDocument {
  const doc = new ReceivedDocument(ALLOWED);
  for (let at = 0, i = 0; at < content.length; i++) {
    const n = sizes[i % sizes.length];
    doc.add(content.subarray(at, at + n));
    at += n;
  }
  return doc;
}

describe('a received document', () => {
  it.each([[[1]], [[7, 65536, 3]], [[CHUNK_BYTES]], [[CHUNK_BYTES + 1, 10]], [[1024 * 1024]]])(
    'cuts the bytes into whole chunks whatever pieces arrive (%j)',
    (sizes) => {
      const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(CHUNK_BYTES * 2 + 1234)]);
      const got = feed(content, sizes).finish();
      expect(got.chunks.map((c) => c.length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, content.length - 2 * CHUNK_BYTES]);
      expect(Buffer.compare(Buffer.concat(got.chunks), content)).toBe(0);
      expect(got).toMatchObject({
        size: content.length,
        contentType: 'application/pdf',
        sha256: createHash('sha256').update(content).digest('hex'),
      });
    },
  );

  it('keeps a small file in one chunk', () => {
    const content = Buffer.from('%PDF-1.4 tiny');
    expect(feed(content, [3]).finish()).toMatchObject({ chunks: [content], size: content.length });
  });

  it('refuses a type not allowed as soon as the first bytes are in, before the rest arrives', () => {
    const doc = new ReceivedDocument(ALLOWED);
    doc.add(Buffer.alloc(SNIFF_BYTES - 1, 0x41));
    expect(() => doc.add(Buffer.alloc(1, 0x41))).toThrow(
      expect.objectContaining({ status: 415, code: 'document_type_not_allowed' }),
    );
  });

  it('refuses a recognised type outside the allow-list, and a short file of no type when it ends', () => {
    const tiff = new ReceivedDocument(ALLOWED);
    tiff.add(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]));
    expect(() => tiff.finish()).toThrow(expect.objectContaining({ status: 415 }));
    const text = new ReceivedDocument(ALLOWED);
    text.add(Buffer.from('hello'));
    expect(() => text.finish()).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('refuses an empty file with 400', () => {
    expect(() => new ReceivedDocument(ALLOWED).finish()).toThrow(expect.objectContaining({ status: 400 }));
  });
});
