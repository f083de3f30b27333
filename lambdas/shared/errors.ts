/**
 * Typed errors with a stable `code`. The HTTP middleware maps them to
 * `{ "error": { "code", "message" } }` with their status; anything else is a 500 that
 * reveals nothing.
 */

export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DomainError';
    this.code = code;
    this.status = status;
  }
}

export class BadRequestError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 400, options);
    this.name = 'BadRequestError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 404);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 409);
    this.name = 'ConflictError';
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', message, 413);
    this.name = 'PayloadTooLargeError';
  }
}

/** A dependency the request needs is not there yet (a stack not deployed): retry later. */
export class ServiceUnavailableError extends DomainError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 503, options);
    this.name = 'ServiceUnavailableError';
  }
}

/**
 * A pipeline step found something wrong with what an earlier step produced: our fault. The
 * Lambda runtime reports only `errorType` (the name) and `errorMessage` to Step Functions, so
 * the code travels at the start of the message: `[OUTPUT_INVALID] Playlist … has no segments.`
 */
export class PipelineError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[${code}] ${message}`, options);
    this.name = 'PipelineError';
    this.code = code;
  }
}

/** Reads the code back out of a PipelineError's message (see `PipelineError`). */
export function pipelineErrorCode(message: string): string | undefined {
  return /^\[([A-Z][A-Z0-9_]*)\] /.exec(message)?.[1];
}

export class UnauthorizedError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 401);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 403);
    this.name = 'ForbiddenError';
  }
}

/** A charge was refused (HTTP 402). */
export class PaymentRequiredError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 402);
    this.name = 'PaymentRequiredError';
  }
}

/**
 * The API Gateway authorizer's refusal of a token: API Gateway answers 401 when the function
 * fails with exactly the message `Unauthorized`. An expected outcome, not a fault.
 */
export class AuthorizerRefusal extends Error {
  constructor() {
    super('Unauthorized');
    this.name = 'Unauthorized';
  }
}
