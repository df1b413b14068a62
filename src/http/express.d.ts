import type { Actor } from '../auth/actor';

declare global {
  namespace Express {
    interface Request {
      actor?: Actor;
    }
  }
}
export {};
