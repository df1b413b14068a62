/**
 * The console's only way to the /v1 API: adds the key as a Bearer header, turns problem+json answers into ApiError.
 */
import { clearKey, getKey } from './session';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** One line for a person: the problem's detail and each field error. */
  describe(): string {
    const fields = this.fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return fields ? `${this.message} (${fields})` : this.message;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  query?: Query;
  json?: unknown;
  form?: FormData;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

let unauthorized: () => void = () => undefined;

/** Called when the API answers 401: the key was revoked or mistyped. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function problem(res: Response): Promise<ApiError> {
  let body: { detail?: string; title?: string; code?: string; errors?: FieldError[] } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(
    res.status,
    body.code ?? `http_${res.status}`,
    body.detail ?? body.title ?? `${res.status} ${res.statusText}`,
    body.errors ?? [],
  );
}

export async function send(
  path: string,
  options: RequestOptions = {},
  key: string | null = getKey(),
): Promise<Response> {
  if (!key) {
    unauthorized();
    throw new ApiError(401, 'unauthorized', 'Log in with your API key.');
  }
  const headers = new Headers(options.headers);
  headers.set('Authorization', `Bearer ${key}`);
  headers.set('Accept', options.accept ?? 'application/json');
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  const res = await fetch(apiUrl(path, options.query), {
    method: options.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    signal: options.signal,
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (res.ok) return res;
  const error = await problem(res);
  if (res.status === 401) {
    clearKey();
    unauthorized();
  }
  throw error;
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return (await send(path, { query, signal })).json() as Promise<T>;
}

/** POSTs JSON; a 204 answer resolves to undefined. */
export async function postJson<T>(path: string, json: unknown = {}, signal?: AbortSignal): Promise<T | undefined> {
  const res = await send(path, { method: 'POST', json, signal });
  return res.status === 204 ? undefined : (res.json() as Promise<T>);
}

/** Checks a key before keeping it: answers who it belongs to, or throws. */
export async function whoAmI<T>(key: string): Promise<T> {
  return (await send('/v1/me', {}, key)).json() as Promise<T>;
}
