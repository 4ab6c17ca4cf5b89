/**
 * Client errors the HTTP handlers answer with `{"error": {"code", "message", "details"?}}`. Each class
 * fixes its HTTP status, so a handler turns any of them into a response in one place.
 */

/** One thing wrong with a request: where (`path`, e.g. `records[3].partitionKey`) and what. */
export interface ProblemDetail {
  /** JSON path of the offending value inside the body, or a header such as `header:content-type`. */
  readonly path: string;
  /** Index of the record the problem is in, when it is in one. */
  readonly record?: number;
  /** Whole sentence: what is wrong and what is allowed. */
  readonly message: string;
}

/** Stable, machine-readable error codes of the API contract. */
export type ErrorCode =
  | "INVALID_JSON"
  | "INVALID_REQUEST"
  | "RECORD_TOO_LARGE"
  | "REQUEST_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED";

/** Base class: a request the caller must change before sending it again. Nothing was written. */
export abstract class RequestError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly ProblemDetail[],
    /** Extra response headers (e.g. `Allow`, `WWW-Authenticate`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The response body of the API contract. */
  toBody(): { error: { code: ErrorCode; message: string; details?: readonly ProblemDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** 400: the body is not valid JSON or does not follow the schema. */
export class BadRequestError extends RequestError {
  readonly status = 400;
}

/** 401: no credential, or one that is not a well-formed bearer token. */
export class UnauthorizedError extends RequestError {
  readonly status = 401;
  constructor(message: string, details?: readonly ProblemDetail[]) {
    super("UNAUTHORIZED", message, details, { "WWW-Authenticate": 'Bearer realm="kinesis-ingest"' });
  }
}

/** 403: a well-formed bearer token that is not one of the accepted tokens. */
export class ForbiddenError extends RequestError {
  readonly status = 403;
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}

/** 404: no such route. */
export class NotFoundError extends RequestError {
  readonly status = 404;
}

/** 405: a known route called with the wrong method. */
export class MethodNotAllowedError extends RequestError {
  readonly status = 405;
}

/** 413: the request, or a record in it, exceeds a size limit. */
export class PayloadTooLargeError extends RequestError {
  readonly status = 413;
}

/** 415: the body is not declared as `application/json`. */
export class UnsupportedMediaTypeError extends RequestError {
  readonly status = 415;
}
