import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';
import { inputProblems } from './input-hygiene';

export interface MultipartResult {
  fields: Record<string, string>;
  files: { name: string; filename: string; content: Buffer }[];
}

export interface MultipartLimits {
  totalBytes: number;
  files: number;
  fields: number;
}

/**
 * Reads a multipart/form-data body into memory, bounded by `totalBytes` over all files (the upload is stored in the
 * database before the 202, so it has to be whole anyway). Anything malformed is a 4xx; nothing is written until the
 * caller has the complete, valid result.
 */
export function readMultipart(req: Request, limits: MultipartLimits): Promise<MultipartResult> {
  if (!req.is('multipart/form-data')) return Promise.reject(new UnsupportedMediaTypeError('multipart/form-data'));
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: limits.totalBytes + 1, files: limits.files, fields: limits.fields, fieldSize: 10_000 },
      });
    } catch (err) {
      reject(new BadRequestError('bad_multipart', `Malformed multipart request: ${(err as Error).message}`));
      return;
    }
    const result: MultipartResult = { fields: {}, files: [] };
    let total = 0;
    let failed = false;
    const fail = (err: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('field', (name, value) => {
      result.fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      // A body cut mid-file errors the file stream as well as busboy; unhandled, that error would kill the process.
      stream.on('error', (err: Error) =>
        fail(new BadRequestError('bad_multipart', `Malformed multipart request: ${err.message}`)),
      );
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.totalBytes) fail(new PayloadTooLargeError(limits.totalBytes));
        else chunks.push(chunk);
      });
      stream.on('end', () => {
        if (!failed) result.files.push({ name, filename: info.filename ?? '', content: Buffer.concat(chunks) });
      });
    });
    bb.on('filesLimit', () => fail(new BadRequestError('too_many_files', `At most ${limits.files} file parts.`)));
    bb.on('fieldsLimit', () => fail(new BadRequestError('too_many_fields', `At most ${limits.fields} fields.`)));
    bb.on('error', (err) =>
      fail(new BadRequestError('bad_multipart', `Malformed multipart request: ${(err as Error).message}`)),
    );
    bb.on('close', () => {
      if (failed) return;
      const dirty = inputProblems(
        { ...result.fields, ...Object.fromEntries(result.files.map((f) => [`${f.name}.filename`, f.filename])) },
        'body',
      );
      if (dirty.length) reject(new ValidationError(dirty));
      else resolve(result);
    });
    req.on('aborted', () => fail(new BadRequestError('request_aborted', 'The client aborted the upload.')));
    req.pipe(bb);
  });
}

export interface StreamedFile {
  /** The name the client gave the file (its base name; a path some clients send is cut off). */
  filename: string;
  /** The type the client declared for the part: recorded, never trusted. */
  declaredType: string;
  size: number;
}

/**
 * Reads a multipart/form-data body that holds exactly one file part named `field` and nothing else, handing the file's
 * bytes to `onData` as they arrive: nothing is gathered here, so the caller decides what to keep (a document upload
 * hashes and chunks as it goes). A file over `maxBytes` is 413 as soon as the limit is passed; `onData` may throw an
 * AppError (a refused type) to stop early. On any failure the rest of the body is drained, not kept.
 */
export function streamSingleFile(
  req: Request,
  limits: { field: string; maxBytes: number },
  onData: (chunk: Buffer) => void,
): Promise<StreamedFile> {
  if (!req.is('multipart/form-data')) {
    req.resume();
    return Promise.reject(
      new UnsupportedMediaTypeError(`multipart/form-data with one file part named "${limits.field}"`),
    );
  }
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // Browsers send a file name's UTF-8 bytes as they are (HTML's form encoding), not RFC 2231: busboy's default, latin1, would garble them.
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxBytes + 1, files: 1, fields: 0 },
      });
    } catch (err) {
      req.resume();
      reject(new BadRequestError('bad_multipart', `Malformed multipart request: ${(err as Error).message}`));
      return;
    }
    let file: StreamedFile | undefined;
    let ended = false;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('file', (name, stream, info) => {
      if (name !== limits.field) {
        stream.resume();
        fail(
          new ValidationError([
            { path: `body.${name}`, message: `unexpected part: send one file part named "${limits.field}"` },
          ]),
        );
        return;
      }
      const filename = (info.filename ?? '').replace(/^.*[\\/]/, '');
      const dirty = inputProblems({ filename }, `body.${name}`);
      if (dirty.length || filename.length > 255) {
        stream.resume();
        fail(
          new ValidationError(
            dirty.length ? dirty : [{ path: `body.${name}.filename`, message: 'at most 255 characters' }],
          ),
        );
        return;
      }
      file = { filename, declaredType: info.mimeType ?? '', size: 0 };
      const current = file;
      stream.on('error', (err: Error) =>
        fail(new BadRequestError('bad_multipart', `Malformed multipart request: ${err.message}`)),
      );
      stream.on('data', (chunk: Buffer) => {
        if (failed) return;
        current.size += chunk.length;
        if (current.size > limits.maxBytes) {
          fail(new PayloadTooLargeError(limits.maxBytes));
          return;
        }
        try {
          onData(chunk);
        } catch (err) {
          fail(err);
        }
      });
      stream.on('end', () => {
        ended = true;
      });
    });
    bb.on('filesLimit', () =>
      fail(new BadRequestError('too_many_files', `Send exactly one file part named "${limits.field}".`)),
    );
    bb.on('fieldsLimit', () =>
      fail(
        new BadRequestError('unexpected_field', `Send only the file part named "${limits.field}", no other fields.`),
      ),
    );
    bb.on('error', (err) =>
      fail(new BadRequestError('bad_multipart', `Malformed multipart request: ${(err as Error).message}`)),
    );
    bb.on('close', () => {
      if (failed) return;
      if (!file || !ended)
        fail(
          new ValidationError([
            { path: `body.${limits.field}`, message: `required: one file part named "${limits.field}"` },
          ]),
        );
      else resolve(file);
    });
    req.on('aborted', () => fail(new BadRequestError('request_aborted', 'The client aborted the upload.')));
    req.pipe(bb);
  });
}
