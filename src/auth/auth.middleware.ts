import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError, ForbiddenError, UnauthorizedError } from '../http/errors';
import type { Role } from './api-key.entity';
import type { ApiKeysService } from './api-keys.service';

const BEARER = /^Bearer\s+(\S{1,200})\s*$/i;

export function authenticate(keys: ApiKeysService): RequestHandler {
  return async (req, _res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) throw new UnauthorizedError();
    const actor = await keys.authenticate(match[1]);
    if (!actor) throw new UnauthorizedError('The API key is unknown, revoked or expired.');
    req.actor = actor;
    next();
  };
}

export function authorize(roles: readonly Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.actor || !roles.includes(req.actor.role)) throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}.`);
    next();
  };
}

/**
 * Per-key limit, counted in this process. With several API processes each counts on its own, so the effective limit is
 * the setting times the number of processes; a shared store would put Redis on every request's path.
 */
export function perKeyRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.actor?.keyId ?? 'anonymous',
    handler: (_req, _res, next) => next(new AppError(429, 'rate_limited', 'Too many requests', `More than ${perMinute} requests a minute with this key; slow down.`)),
  });
}
