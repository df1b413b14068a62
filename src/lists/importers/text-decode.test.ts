import { ImportFormatError } from '../../domain/list-entry';
import { collect, importError, text } from './__tests__/support';
import { TextSniffer, decodeText, utf8SequenceLength } from './text-decode';

async function decode(bytes: Buffer, chunkSize: number): Promise<string> {
  return (await collect(decodeText(text(bytes, chunkSize)(), 'sdn'))).join('');
}

const utf8 = Buffer.from('36,"ЖУРАВЛЕВА Tatyana",Zürich\n37,"ТОО Қазақ",-0- ', 'utf8');
// "Zürich" and "Société's" with a Windows-1252 right quote (0x92), as a Latin-1 export carries them.
const latin1 = Buffer.concat([
  Buffer.from('1,"Z', 'latin1'),
  Buffer.from([0xfc]),
  Buffer.from('rich"\n2,"Soci', 'latin1'),
  Buffer.from([0xe9]),
  Buffer.from('t', 'latin1'),
  Buffer.from([0xe9, 0x92, 0x73]),
  Buffer.from('"', 'latin1'),
]);

describe('decodeText', () => {
  it.each([1, 2, 3, 5, 64])('decodes UTF-8 split into %i-byte chunks', async (size) => {
    expect(await decode(utf8, size)).toBe(utf8.toString('utf8'));
  });

  it.each([1, 2, 4, 64])('falls back to Latin-1 (Windows-1252) in %i-byte chunks', async (size) => {
    expect(await decode(latin1, size)).toBe('1,"Zürich"\n2,"Société\u2019s"');
  });

  it('strips a UTF-8 BOM', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hs6\ttier', 'utf8')]);
    expect(await decode(bom, 1)).toBe('hs6\ttier');
  });

  it('decodes UTF-16 with a BOM', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Қазақ,1', 'utf16le')]);
    expect(await decode(le, 3)).toBe('Қазақ,1');
  });

  it('passes pure ASCII and empty input through', async () => {
    expect(await decode(Buffer.from('a,b\nc'), 2)).toBe('a,b\nc');
    expect(await decode(Buffer.alloc(0), 2)).toBe('');
  });

  it('treats a multi-byte sequence cut by the end of the file as Latin-1', async () => {
    expect(await decode(Buffer.from([0x61, 0xd0]), 1)).toBe('aÐ');
  });

  it('fails with the line number when a UTF-8 file later holds an invalid byte', async () => {
    const mixed = Buffer.concat([Buffer.from('ok,Жанна\nline2\nbad,', 'utf8'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const err = await importError(decodeText(text(mixed, 4)(), 'alt'));
    expect(err).toBeInstanceOf(ImportFormatError);
    expect(err.part).toBe('alt');
    expect(err.line).toBe(3);
  });

  it('reports the detected encoding', () => {
    const s = new TextSniffer('x');
    s.push(Buffer.from('abc'));
    expect(s.encoding).toBe('ascii');
    s.push(Buffer.from([0xc3, 0xa9]));
    expect(s.encoding).toBe('utf8');
  });
});

describe('utf8SequenceLength', () => {
  it('rejects overlong forms and surrogates, and spots truncation', () => {
    expect(utf8SequenceLength(Buffer.from([0xc0, 0x80]), 0)).toBe(-1);
    expect(utf8SequenceLength(Buffer.from([0xe0, 0x80, 0x80]), 0)).toBe(-1);
    expect(utf8SequenceLength(Buffer.from([0xed, 0xa0, 0x80]), 0)).toBe(-1);
    expect(utf8SequenceLength(Buffer.from([0xf4, 0x90, 0x80, 0x80]), 0)).toBe(-1);
    expect(utf8SequenceLength(Buffer.from([0xf0, 0x9f, 0x98]), 0)).toBe(0);
    expect(utf8SequenceLength(Buffer.from('Ж'), 0)).toBe(2);
  });
});
