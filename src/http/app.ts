import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Logger } from 'pino';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Metrics } from '../observability/metrics';
import { errorMiddleware, notFoundHandler } from './error-middleware';
import { UnauthorizedError } from './errors';
import { requestLogging } from './request-log';
import { securityHeaders } from './security-headers';
import { generateDocument } from './openapi';
import { mountRoutes, type MountDeps, type RouteDef } from './route';

export interface AppDeps extends MountDeps {
  logger: Logger;
  metrics: Metrics;
  registry: OpenAPIRegistry;
  routes: RouteDef[];
  /** Each check answers true when its dependency is usable; any false makes /readyz 503. */
  readiness: Record<string, () => Promise<boolean>>;
  /** Extra fields of the /readyz body (e.g. the list versions this process holds). */
  readinessDetails?: () => Record<string, unknown>;
  /** Checks reported in /readyz that do not make it fail (Redis: submissions are answered without it). */
  advisory?: Record<string, () => Promise<boolean>>;
  /** METRICS_TOKEN: when set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Extra routers mounted before the API (e.g. the web console). */
  extra?: { path: string; handler: RequestHandler | express.Router }[];
}

function metricsMiddleware(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern keeps label cardinality bounded; unmatched paths share one label.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route });
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

async function withTimeout(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check().catch(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Compares digests so the comparison takes the same time whatever the given token is. */
function tokenMatches(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function metricsAuth(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) return next();
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    next(
      given && tokenMatches(given, token)
        ? undefined
        : new UnauthorizedError('/metrics needs Authorization: Bearer <METRICS_TOKEN>.'),
    );
  };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use(requestLogging(deps.logger, (url) => url === '/healthz' || url === '/metrics'));
  app.use(metricsMiddleware(deps.metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const run = (all: Record<string, () => Promise<boolean>> = {}) =>
      Promise.all(Object.entries(all).map(async ([name, check]) => [name, await withTimeout(check, 2000)] as const));
    const [required, advisory] = await Promise.all([run(deps.readiness), run(deps.advisory)]);
    const checks = Object.fromEntries([...required, ...advisory].map(([n, ok]) => [n, ok ? 'ok' : 'down']));
    const ready = required.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks, ...deps.readinessDetails?.() });
  });
  app.get('/metrics', metricsAuth(deps.metricsToken), async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  for (const extra of deps.extra ?? []) app.use(extra.path, extra.handler);

  const api = express.Router();
  mountRoutes(api, deps.registry, deps, deps.routes);
  const document = generateDocument(deps.registry);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Screening API' }));
  app.use(api);
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger));
  return app;
}
