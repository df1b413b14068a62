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
      bb = busboy({ headers: req.headers, limits: { fileSize: limits.totalBytes + 1, files: limits.files, fields: limits.fields, fieldSize: 10_000 } });
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
    bb.on('field', (name, value) => { result.fields[name] = value; });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      // A body cut mid-file errors the file stream as well as busboy; unhandled, that error would kill the process.
      stream.on('error', (err: Error) => fail(new BadRequestError('bad_multipart', `Malformed multipart request: ${err.message}`)));
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.totalBytes) fail(new PayloadTooLargeError(limits.totalBytes));
        else chunks.push(chunk);
      });
      stream.on('end', () => { if (!failed) result.files.push({ name, filename: info.filename ?? '', content: Buffer.concat(chunks) }); });
    });
    bb.on('filesLimit', () => fail(new BadRequestError('too_many_files', `At most ${limits.files} file parts.`)));
    bb.on('fieldsLimit', () => fail(new BadRequestError('too_many_fields', `At most ${limits.fields} fields.`)));
    bb.on('error', (err) => fail(new BadRequestError('bad_multipart', `Malformed multipart request: ${(err as Error).message}`)));
    bb.on('close', () => {
      if (failed) return;
      const dirty = inputProblems({ ...result.fields, ...Object.fromEntries(result.files.map((f) => [`${f.name}.filename`, f.filename])) }, 'body');
      if (dirty.length) reject(new ValidationError(dirty));
      else resolve(result);
    });
    req.on('aborted', () => fail(new BadRequestError('request_aborted', 'The client aborted the upload.')));
    req.pipe(bb);
  });
}
