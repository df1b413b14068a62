import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { databaseTrouble } from '../db/unavailable';
import {
  AppError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from './errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Errors thrown by express.json / raw-body carry a `type`; map each to a client error instead of a 500. */
function fromBodyParser(err: BodyParserError): AppError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(err.limit ?? 0);
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'Malformed JSON', `The body is not valid JSON: ${err.message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('UTF-8 JSON');
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'Request aborted', 'The client aborted the request.');
    case 'entity.verify.failed':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError(400, 'bad_body', 'Bad request body', err.message);
    default:
      return undefined;
  }
}

/** Seconds a client should wait before retrying while the database is away (a restart takes a few seconds). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

function fromDatabase(err: unknown): AppError | undefined {
  switch (databaseTrouble(err)) {
    case 'unavailable':
      return new ServiceUnavailableError('The database is unreachable; retry shortly.', {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
        code: 'database_unavailable',
      });
    case 'busy':
      return new ServiceUnavailableError('The database is too busy to answer in time; retry shortly.', {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
        code: 'database_busy',
      });
    default:
      return undefined;
  }
}

export function problemTypeUri(code: string): string {
  return `urn:dual-use-screening:problem:${code}`;
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = String(req.id ?? '');
    const known = err instanceof AppError ? err : (fromBodyParser(err as BodyParserError) ?? fromDatabase(err));
    if (res.headersSent) {
      // A stream failed half-way: the status is gone, so cut the connection rather than send a truncated body as whole.
      logger.error({ err, requestId }, 'error after response started');
      res.destroy();
      return;
    }
    if (known) {
      if (known.status >= 500) logger[known.status === 503 ? 'warn' : 'error']({ err, requestId }, known.message);
      res.set(known.headers);
      res
        .status(known.status)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          JSON.stringify({
            type: problemTypeUri(known.code),
            title: known.title,
            status: known.status,
            detail: known.message,
            code: known.code,
            instance: req.originalUrl,
            requestId,
            ...known.extra,
          }),
        );
      return;
    }
    logger.error({ err, requestId }, 'unhandled error');
    res
      .status(500)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemTypeUri('internal_error'),
          title: 'Internal server error',
          status: 500,
          detail: `An unexpected error occurred. Quote correlation id ${requestId} when reporting it.`,
          code: 'internal_error',
          correlationId: requestId,
          requestId,
        }),
      );
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route_not_found', 'Not found', `No route ${req.method} ${req.path}.`));
};

export { NotFoundError };
