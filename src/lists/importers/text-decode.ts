/**
 * Byte stream -> text stream with encoding detection, in constant memory.
 *
 * Rule: a file that is valid UTF-8 is UTF-8, anything else is Latin-1 (OFAC has shipped both). A UTF-8 BOM is
 * dropped; a UTF-16 BOM switches to UTF-16.
 *
 * Streaming without reading the file twice: pure ASCII decodes the same in both encodings, so ASCII text is passed on
 * at once and the decision is taken at the FIRST non-ASCII byte sequence: a well-formed UTF-8 sequence there commits
 * to UTF-8, anything else commits to Latin-1 (a Latin-1 letter followed by a continuation-range byte, the only way a
 * Latin-1 file can look like UTF-8, does not occur in names). After committing to UTF-8 every later byte is still
 * validated; an invalid sequence then means the file mixes encodings, and the import fails with the line number
 * rather than silently turning bytes into U+FFFD. Whenever this decoder returns text, it is exactly the text that the
 * whole-file rule would produce.
 *
 * "Latin-1" is decoded as Windows-1252: identical for every printable Latin-1 character, and it also reads the
 * curly quotes and dashes that Windows exports put into 0x80-0x9F (C1 control codes never occur in list text).
 */
import iconv from 'iconv-lite';
import { ImportFormatError } from '../../domain/list-entry';

type Mode = 'sniff' | 'utf8' | 'latin1' | 'utf16le' | 'utf16be';

/** Length of the UTF-8 sequence starting at `i`: > 0 valid, 0 truncated by the end of `buf`, -1 invalid. */
export function utf8SequenceLength(buf: Uint8Array, i: number): number {
  const b0 = buf[i];
  if (b0 < 0x80) return 1;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 === 0xe0) lo = 0xa0; // overlong
    if (b0 === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 === 0xf0) lo = 0x90; // overlong
    if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return -1;
  for (let k = 1; k < len; k++) {
    if (i + k >= buf.length) return 0;
    const b = buf[i + k];
    if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) return -1;
  }
  return len;
}

function countNewlines(buf: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (buf[i] === 0x0a) n++;
  return n;
}

/** Push-style decoder; `push` returns the text decodable so far, `end` the rest. */
export class TextSniffer {
  private mode: Mode = 'sniff';
  private carry: Buffer = Buffer.alloc(0);
  private atStart = true;
  private line = 1;
  private utf16?: ReturnType<typeof iconv.getDecoder>;

  constructor(private readonly part: string) {}

  get encoding(): string {
    return this.mode === 'sniff' ? 'ascii' : this.mode;
  }

  push(chunk: Buffer): string {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    return this.process(buf, false);
  }

  end(): string {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    const text = this.process(rest, true);
    return this.utf16 ? text + this.utf16.end() : text;
  }

  private process(input: Buffer, final: boolean): string {
    let buf = input;
    if (this.atStart) {
      if (buf.length < 3 && !final) {
        this.carry = buf;
        return '';
      }
      this.atStart = false;
      buf = this.stripBom(buf);
    }
    if (this.utf16) return this.utf16.write(buf);
    let out = '';
    if (this.mode === 'sniff') {
      const i = buf.findIndex((b) => b >= 0x80);
      if (i < 0) return this.emitAscii(buf, buf.length);
      const len = utf8SequenceLength(buf, i);
      if (len === 0 && !final) {
        out = this.emitAscii(buf, i);
        this.carry = buf.subarray(i);
        return out;
      }
      this.mode = len > 0 ? 'utf8' : 'latin1';
    }
    if (this.mode === 'latin1') return iconv.decode(buf, 'win1252');
    return out + this.emitUtf8(buf, final);
  }

  private stripBom(buf: Buffer): Buffer {
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      this.mode = 'utf8';
      return buf.subarray(3);
    }
    const le = buf[0] === 0xff && buf[1] === 0xfe;
    if (le || (buf[0] === 0xfe && buf[1] === 0xff)) {
      this.mode = le ? 'utf16le' : 'utf16be';
      this.utf16 = iconv.getDecoder(this.mode, { stripBOM: true });
    }
    return buf;
  }

  private emitAscii(buf: Buffer, end: number): string {
    this.line += countNewlines(buf, end);
    return buf.toString('latin1', 0, end);
  }

  private emitUtf8(buf: Buffer, final: boolean): string {
    let i = 0;
    while (i < buf.length) {
      if (buf[i] < 0x80) {
        i++;
        continue;
      }
      const len = utf8SequenceLength(buf, i);
      if (len > 0) {
        i += len;
        continue;
      }
      if (len === 0 && !final) {
        this.carry = buf.subarray(i);
        break;
      }
      throw new ImportFormatError(
        'byte sequence is not valid UTF-8 although the file started as UTF-8 (mixed encodings)',
        this.part,
        this.line + countNewlines(buf, i),
      );
    }
    this.line += countNewlines(buf, i);
    return buf.toString('utf8', 0, i);
  }
}

/** Decodes a byte stream (see the module comment) into text chunks. */
export async function* decodeText(source: NodeJS.ReadableStream, part: string): AsyncGenerator<string> {
  const sniffer = new TextSniffer(part);
  for await (const chunk of source) {
    const text = sniffer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (text) yield text;
  }
  const rest = sniffer.end();
  if (rest) yield rest;
}
