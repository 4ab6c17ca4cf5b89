/**
 * The root of the consumer library's errors, so a caller can tell them from anything else it catches
 * (`error instanceof ConsumerError`), and the error for an event the runtime cannot read.
 */

/** Every error the consumer library defines extends this one. */
export class ConsumerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The event is not what an event source mapping (or a kinesis-ingest tool) sends: the whole invocation fails. */
export class InvalidEventError extends ConsumerError {}
