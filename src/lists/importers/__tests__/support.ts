/** Helpers shared by the importer unit tests; under __tests__ so the build leaves them out. */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ImportFormatError } from '../../../domain/list-entry';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const DATA = join(REPO_ROOT, 'test', 'fixtures', 'data');
export const ENTITIES = join(DATA, 'entities');

/** A part factory reading a real file. */
export function file(path: string): () => NodeJS.ReadableStream {
  return () => createReadStream(path, { highWaterMark: 16 * 1024 });
}

/** A part factory over in-memory text or bytes, delivered in chunks of `chunkSize` bytes. */
export function text(content: string | Buffer, chunkSize = 7): () => NodeJS.ReadableStream {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
    return Readable.from(chunks);
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs the import and returns the ImportFormatError it must fail with. */
export async function importError(items: AsyncIterable<unknown>): Promise<ImportFormatError> {
  try {
    for await (const _ of items) {
      /* drain */
    }
  } catch (err) {
    if (err instanceof ImportFormatError) return err;
    throw err;
  }
  throw new Error('expected an ImportFormatError, but the import succeeded');
}
