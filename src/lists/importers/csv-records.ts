/**
 * Streaming CSV/TSV records with 1-based line numbers, on top of csv-parse. Every parse problem becomes an
 * ImportFormatError naming the part and the line, so an operator can open the file at the right place.
 */
import { parse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';
import { ImportFormatError } from '../../domain/list-entry';
import { decodeText } from './text-decode';

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export interface CsvOptions {
  delimiter?: string;
}

/** Line breaks inside a record's quoted fields: a record spans 1 + this many lines. */
function innerNewlines(fields: string[]): number {
  let n = 0;
  for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) n++;
  return n;
}

/** Records of one CSV part; blank lines are skipped. Text must already be decoded (see decodeText). */
export async function* csvRecordsFromText(
  text: AsyncIterable<string>,
  part: string,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  // Line numbers are counted here rather than with csv-parse's `info` option, which doubles the parsing time.
  // Blank lines come through as [''] records, so every line is accounted for.
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    relax_column_count: true, // column counts are checked by each importer, with its own message
  });
  const source = Readable.from(text, { objectMode: false });
  // pipeline forwards a decoding error into the parser, and tears the source down if the consumer stops early.
  pipeline(source, parser, () => undefined);
  let line = 1;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const start = line;
      line += 1 + innerNewlines(fields);
      if (fields.length === 1 && fields[0].trim() === '') continue;
      yield { fields, line: start };
    }
  } catch (err) {
    throw toImportError(err, part, line);
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
}

/** Records of a byte stream part (encoding detected, see text-decode). */
export function csvRecords(
  source: NodeJS.ReadableStream,
  part: string,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  return csvRecordsFromText(decodeText(source, part), part, options);
}

function toImportError(err: unknown, part: string, recordStart: number): Error {
  if (err instanceof ImportFormatError) return err;
  const csvErr = err as { code?: unknown; lines?: unknown; message?: string };
  const code = typeof csvErr.code === 'string' ? csvErr.code : '';
  if (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE') {
    // An unclosed quote is reported by csv-parse at end of file; the record that opened it is the useful line.
    const reported = typeof csvErr.lines === 'number' ? csvErr.lines : recordStart;
    const line = code === 'CSV_QUOTE_NOT_CLOSED' ? recordStart : reported;
    return new ImportFormatError(`malformed CSV: ${firstSentence(csvErr.message ?? code)}`, part, line);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function firstSentence(message: string): string {
  return message.split(/:\s| at line /)[0];
}

/**
 * Reads the first line of a text stream to choose between comma and tab (whichever occurs more in the header),
 * then replays it: the BIS DPL ships tab-separated, the CSL comma-separated, and both are imported as csl-csv.
 */
export async function sniffDelimiter(
  text: AsyncIterable<string>,
): Promise<{ delimiter: string; text: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  let head = '';
  let done = false;
  while (!head.includes('\n') && head.length < 1 << 20) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head += next.value;
  }
  const firstLine = head.split('\n', 1)[0];
  const count = (c: string): number => firstLine.split(c).length - 1;
  const delimiter = count('\t') > count(',') ? '\t' : ',';
  async function* replay(): AsyncGenerator<string> {
    try {
      if (head) yield head;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { delimiter, text: replay() };
}
