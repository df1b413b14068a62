import type { Actor } from './actor';

declare global {
  namespace Express {
    interface Request {
      actor?: Actor;
      /** The request id (X-Request-Id), set first by requestLogging. */
      id?: string;
    }
  }
}
export {};
