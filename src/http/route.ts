import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Actor, Role } from './actor';
import { BadRequestError, UnsupportedMediaTypeError, ValidationError, type FieldError } from './errors';
import { inputProblems } from './input-hygiene';
import type { RateLimits } from './rate-limit';
import { problemSchema } from './openapi';

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteContext<P, Q, B, H = undefined> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  headers: Infer<H>;
  actor: Actor;
  req: Request;
  res: Response;
}

export interface ResponseSpec<S extends z.ZodType | undefined = z.ZodType | undefined> {
  description: string;
  schema?: S;
  contentType?: string;
}

export type ResponseSpecs = Record<number, ResponseSpec>;

/**
 * The response specs are a const type parameter (so a returned status keeps its literal type), which also makes array
 * literals in a returned body readonly tuples: the body type accepts them (readonly all the way down; a mutable value
 * is assignable to it as well).
 */
type Frozen<T> = T extends (infer U)[]
  ? readonly Frozen<U>[]
  : T extends Date
    ? T
    : T extends object
      ? { readonly [K in keyof T]: Frozen<T[K]> }
      : T;

type BodyOf<Spec> = Spec extends { schema: z.ZodType } ? Frozen<z.input<Spec['schema']>> : undefined;

/**
 * What a handler may return: for each declared status, that status with a body of its schema (the schema's input
 * type: what the handler hands over before JSON), the body optional only where the status declares no schema. A
 * handler is held to the body of the exact status it returns; the contract test (test/foundation/contract.test.ts)
 * checks the same pairs at run time against /openapi.json.
 */
// Mapped over `keyof R` itself (not `keyof R & number`): only then does a returned literal status (200) keep its
// literal type while the handler is checked, so each status is held to its own schema.
export type RouteResult<R extends ResponseSpecs> = {
  [K in keyof R]: { status: K; headers?: Record<string, string> } & (undefined extends BodyOf<R[K]>
    ? { body?: BodyOf<R[K]> }
    : { body: BodyOf<R[K]> });
}[keyof R];

/**
 * A header whose failures answer with their own problem code (not validation_failed): clients branch on the code.
 * Put `params: { problem: '<code>' }` on the zod issue; the issue's message becomes the problem's detail.
 */
export interface HeaderProblemParams {
  problem: string;
}

export interface RouteSpec<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  H extends z.ZodObject | undefined = undefined,
  R extends ResponseSpecs = ResponseSpecs,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: /v1/api-keys/{id} */
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers, keyed by their name as documented (looked up case-insensitively). */
  headers?: H;
  /** JSON body size class: ordinary (BODY_LIMIT_BYTES) or batch (BATCH_BODY_LIMIT_BYTES). */
  bodySize?: 'default' | 'batch';
  /** Rate-limit units the request costs once its body is valid (default 1): a batch costs one per declaration. */
  rateUnits?: (body: Infer<B>) => number;
  /** For handlers that read the request stream themselves (multipart uploads): documented, not parsed here. */
  rawBody?: { contentType: string; schema: z.ZodType };
  responses: R;
  /** Returns the response, or nothing when it wrote (streamed) the response itself. */
  handler(ctx: RouteContext<P, Q, B, H>): Promise<RouteResult<R> | void> | RouteResult<R> | void;
}

/** A route ready to mount: its spec, type-erased so feature modules can return lists of them. */
export interface RouteDef {
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, z.ZodObject | undefined>;
}

export function route<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends z.ZodObject | undefined = undefined,
  const R extends ResponseSpecs = ResponseSpecs,
>(spec: RouteSpec<P, Q, B, H, R>): RouteDef {
  return { spec: spec as unknown as RouteDef['spec'] };
}

export function fieldErrors(where: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    let path = where;
    for (const part of issue.path) path += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
    return { path, message: issue.message };
  });
}

function parse<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  where: string,
  errors: FieldError[],
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  errors.push(...fieldErrors(where, result.error));
  return undefined;
}

/**
 * Reads the declared headers (case-insensitive) and parses them like params. An issue carrying HeaderProblemParams
 * becomes its own problem, reported only when nothing else in the request is invalid.
 */
function parseHeaders(schema: z.ZodObject | undefined, req: Request, errors: FieldError[]): unknown {
  if (!schema) return undefined;
  const raw = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, req.get(name)]));
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const coded = result.error.issues.find((i) => i.code === 'custom' && typeof i.params?.problem === 'string');
  if (coded?.code === 'custom')
    return new BadRequestError((coded.params as HeaderProblemParams).problem, coded.message);
  errors.push(...fieldErrors('headers', result.error));
  return undefined;
}

export interface MountDeps {
  authenticate: RequestHandler;
  authorize(roles: readonly Role[]): RequestHandler;
  rateLimits: RateLimits;
  bodyLimits: { default: number; batch: number };
}

const methodsWithBody = new Set(['post', 'put', 'patch']);

/** Mounts each route on the router with auth, rate limit, body parsing and validation, and describes it in OpenAPI. */
export function mountRoutes(router: Router, registry: OpenAPIRegistry, deps: MountDeps, defs: RouteDef[]): void {
  const parsers = {
    default: express.json({ limit: deps.bodyLimits.default, type: () => true }),
    batch: express.json({ limit: deps.bodyLimits.batch, type: () => true }),
  };
  for (const { spec } of defs) {
    // The address guard runs before authentication so a flood of bad keys is refused without a database query.
    const chain: RequestHandler[] = [
      deps.rateLimits.beforeAuth,
      deps.authenticate,
      deps.authorize(spec.roles),
      deps.rateLimits.perKey,
    ];
    if (spec.body && methodsWithBody.has(spec.method)) {
      chain.push((req, _res, next) =>
        next(req.is('application/json') ? undefined : new UnsupportedMediaTypeError('application/json')),
      );
      chain.push(parsers[spec.bodySize ?? 'default']);
    }
    chain.push(async (req, res) => {
      const dirty = [
        ...inputProblems(req.params, 'params'),
        ...inputProblems(req.query, 'query'),
        ...(spec.body ? inputProblems(req.body, 'body') : []),
      ];
      if (dirty.length) throw new ValidationError(dirty);
      const errors: FieldError[] = [];
      const params = parse(spec.params, req.params, 'params', errors);
      const query = parse(spec.query, req.query, 'query', errors);
      const body = parse(spec.body, req.body, 'body', errors);
      const headers = parseHeaders(spec.headers, req, errors);
      if (errors.length) throw new ValidationError(errors);
      if (headers instanceof BadRequestError) throw headers;
      const units = spec.rateUnits ? Math.max(1, Math.ceil(spec.rateUnits(body as never))) : 1;
      if (units > 1) await deps.rateLimits.charge(req, res, units - 1);
      const ctx = { params, query, body, headers, actor: req.actor!, req, res };
      const result = (await spec.handler(
        ctx as RouteContext<unknown, unknown, unknown, unknown> as never,
      )) as HttpResult | void;
      if (!result) return;
      if (result.headers) res.set(result.headers);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
    router[spec.method](spec.path.replace(/\{(\w+)\}/g, ':$1'), ...chain);
    registry.registerPath(openApiRoute(spec));
  }
}

function openApiRoute(spec: RouteDef['spec']): RouteConfig {
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = r.schema
      ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }
      : { description: r.description };
  }
  responses.default = { description: 'Problem', content: { 'application/problem+json': { schema: problemSchema } } };
  const request: RouteConfig['request'] = {};
  if (spec.params) request.params = spec.params as never;
  if (spec.query) request.query = spec.query as never;
  if (spec.headers) request.headers = spec.headers as never;
  if (spec.body) request.body = { content: { 'application/json': { schema: spec.body } }, required: true };
  if (spec.rawBody)
    request.body = { content: { [spec.rawBody.contentType]: { schema: spec.rawBody.schema } }, required: true };
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tags: [spec.tag],
    security: [{ bearerAuth: [] }],
    description: `Roles: ${spec.roles.join(', ')}.`,
    request,
    responses,
  };
}
