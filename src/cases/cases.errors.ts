import { AppError, ConflictError } from '../http/errors';

/** Review workflow errors; each `code` is stable for clients (the console branches on them). */

export class NotClaimantError extends AppError {
  constructor() {
    super(403, 'not_claimant', 'Forbidden', 'Another reviewer holds this case; only its claimant may act on it.');
  }
}

export class SupervisorRequiredError extends AppError {
  constructor() {
    super(
      403,
      'supervisor_required',
      'Forbidden',
      'This case was escalated: only a supervisor may claim or decide it.',
    );
  }
}

export class FourEyesError extends AppError {
  constructor() {
    super(
      403,
      'four_eyes_required',
      'Forbidden',
      'The decision must be approved by a supervisor other than the person who made it (with whichever key).',
    );
  }
}

export class CaseNotClaimedError extends ConflictError {
  constructor() {
    super('case_not_claimed', 'Nobody holds this case: claim it first (POST /v1/cases/claim).');
  }
}

export class LeaseExpiredError extends ConflictError {
  constructor() {
    super('lease_expired', 'Your claim on this case expired and the case went back to the queue: claim it again.');
  }
}

export class CaseClosedError extends ConflictError {
  constructor() {
    super('case_closed', 'This case is already decided.');
  }
}

export class AwaitingApprovalError extends ConflictError {
  constructor() {
    super('case_awaiting_approval', "A decision on this case waits for a supervisor's approval.");
  }
}

export class NotAwaitingApprovalError extends ConflictError {
  constructor() {
    super('case_not_awaiting_approval', 'No decision on this case waits for approval.');
  }
}

export class AlreadyEscalatedError extends ConflictError {
  constructor() {
    super('case_already_escalated', 'This case is already escalated to the supervisors.');
  }
}

export class DecisionOutdatedError extends ConflictError {
  constructor() {
    super(
      'decision_outdated',
      'The case was screened again after this decision was made: the decision lapsed and the case went back to the queue for a new look.',
    );
  }
}
