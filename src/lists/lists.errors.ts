import { ServiceUnavailableError } from '../http/errors';

/** 503 while this process has not loaded every active list version; the client retries after Retry-After. */
export class ListsLoadingError extends ServiceUnavailableError {
  constructor(retryAfterSeconds: number) {
    super('The reference lists changed and this process is still loading the new versions; retry shortly.', {
      code: 'lists_loading',
      retryAfterSeconds,
    });
  }
}
