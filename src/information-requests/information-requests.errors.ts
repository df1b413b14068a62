import { ConflictError } from '../http/errors';

export class NoOpenRequestError extends ConflictError {
  constructor() {
    super(
      'no_open_information_request',
      'Nothing was asked about this declaration, or the request was already answered.',
    );
  }
}

export class RequestAlreadyOpenError extends ConflictError {
  constructor() {
    super(
      'information_request_open',
      "A request for information on this case is still waiting for the broker's answer.",
    );
  }
}
