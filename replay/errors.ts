/** Errors of the replay and redrive tools: each names what is wrong and what would be accepted. */
import { describeError } from "../semantics/errors";

/** Base class: every replay/redrive failure the CLI reports as a sentence, not a stack trace. */
class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The source (or target) stream does not exist where we looked. */
export class StreamNotFoundError extends ReplayError {
  constructor(
    readonly streamName: string,
    where: string,
  ) {
    super(`Stream "${streamName}" was not found ${where}. Check --stream, --region and --endpoint.`);
    this.name = "StreamNotFoundError";
  }
}

/**
 * A command-line value or option combination is invalid: the project's one usage error, which the
 * `kinesis-ingest` commands answer with exit 64. Re-exported so the library's errors are listed here.
 */
export { UsageError } from "../cli-kit/usage-error";

/** The checkpoint file does not belong to this replay, or cannot be read. */
export class CheckpointError extends ReplayError {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** A Kinesis call kept failing after the bounded retries. */
export class ReadFailedError extends ReplayError {
  constructor(
    readonly shardId: string,
    cause: unknown,
  ) {
    super(`Reading ${shardId} failed after retries: ${describeError(cause)}`);
    this.name = "ReadFailedError";
  }
}

/** The archive bucket cannot be listed: it does not exist, or access is denied. */
export class ArchiveBucketError extends ReplayError {
  constructor(
    readonly bucket: string,
    message: string,
  ) {
    super(message);
    this.name = "ArchiveBucketError";
  }
}

/** Archive objects that are truncated or not NDJSON archive lines, each named with its key and line. */
export class BadArchiveObjectsError extends ReplayError {
  constructor(readonly problems: readonly string[]) {
    super(
      `${problems.length === 1 ? "An archive object is" : `${problems.length} archive objects are`} unreadable; ` +
        `nothing of ${problems.length === 1 ? "it" : "them"} was delivered. Pass --skip-bad-objects to replay the rest.\n  ` +
        problems.join("\n  "),
    );
    this.name = "BadArchiveObjectsError";
  }
}
