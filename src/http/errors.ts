/**
 * Domain errors. Services throw these; the one error middleware turns them into application/problem+json.
 * `code` is stable: clients may branch on it.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to the answer (Retry-After on 429 and 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    detail = 'The request is not valid.',
  ) {
    super(400, 'validation_failed', 'Validation failed', detail, { errors });
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, detail: string) {
    super(400, code, 'Bad request', detail);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'A valid API key is required: Authorization: Bearer <key>.') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'Your role may not do this.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super(404, 'not_found', 'Not found', `${what} not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string) {
    super(409, code, 'Conflict', detail);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, detail: string) {
    super(422, code, 'Unprocessable request', detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super(413, 'payload_too_large', 'Payload too large', `The body exceeds the limit of ${limit} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super(415, 'unsupported_media_type', 'Unsupported media type', `Send the body as ${expected}.`);
  }
}

export class NotAcceptableError extends AppError {
  constructor(offered: string[]) {
    super(406, 'not_acceptable', 'Not acceptable', `This resource is available as ${offered.join(' or ')}.`);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, options: { code?: string; retryAfterSeconds?: number } = {}) {
    super(
      503,
      options.code ?? 'service_unavailable',
      'Service unavailable',
      detail,
      {},
      options.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(options.retryAfterSeconds) },
    );
  }
}

export class TooManyRequestsError extends AppError {
  constructor(detail: string, retryAfterSeconds: number, code = 'rate_limited') {
    super(429, code, 'Too many requests', detail, {}, { 'Retry-After': String(retryAfterSeconds) });
  }
}
