import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../http/errors';
import type { Role } from '../http/actor';
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
    if (!req.actor || !roles.includes(req.actor.role))
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}.`);
    next();
  };
}
