/** Errors a producer settles records with. Each class sets `name`; messages are whole sentences. */

/** Base class of every error a producer rejects a record with. */
export class ProducerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProducerError";
  }
}

/**
 * The record was refused for good (invalid, unauthorised, too large): retrying cannot help, so it was not
 * retried. `status` is the HTTP status (0 when the client refused the record before sending it).
 */
export class RecordRejectedError extends ProducerError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "RecordRejectedError";
  }
}

/** The record's deadline passed while it was still being retried; `lastError` says why the last try failed. */
export class RecordDeadlineError extends ProducerError {
  constructor(
    readonly attempts: number,
    readonly lastError: string,
    deadlineMs: number,
  ) {
    super(`The record was not stored within its ${deadlineMs} ms deadline after ${attempts} attempt(s); last error: ${lastError}`);
    this.name = "RecordDeadlineError";
  }
}

/** `put()` was called after `close()`. */
export class ProducerClosedError extends ProducerError {
  constructor() {
    super("The producer is closed; create a new one to send more records.");
    this.name = "ProducerClosedError";
  }
}
