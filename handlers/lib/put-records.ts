/**
 * PutRecords with the retry discipline Kinesis needs: PutRecords is not atomic, so each entry's result is
 * read, only the entries that failed with a retriable error are sent again, results stay at their input
 * index, and retries back off exponentially with full jitter until a deadline — never forever.
 */
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import { backoffDelay, sleep as sharedSleep } from "../../semantics/backoff";
import { classifyAwsError, isRetriableEntryError } from "../../semantics/errors";
import { MAX_PUT_RECORDS_BYTES, MAX_PUT_RECORDS_COUNT } from "../../semantics/limits";
import { planChunks } from "./chunks";

const PUT_RECORDS_CALL = { maxRecords: MAX_PUT_RECORDS_COUNT, maxBytes: MAX_PUT_RECORDS_BYTES } as const;

/** The outcome for one record, in the API contract's shape. */
export type RecordResult =
  { readonly sequenceNumber: string; readonly shardId: string } | { readonly errorCode: string; readonly errorMessage: string };

/** Error code given to records whose write was cut off by the deadline: stored or not, nobody knows. */
const DEADLINE_EXCEEDED = "DeadlineExceeded";

/** Options of {@link putRecordsWithRetry}. */
export interface PutRecordsRetryOptions {
  readonly streamName: string;
  /** Epoch ms by which the last call must have finished (the function's end minus a safety margin). */
  readonly deadline: number;
  /** Backoff base: the cap of the first retry's delay. @default 50 */
  readonly baseDelayMs?: number;
  /** Cap of any one delay. @default 1000 */
  readonly maxDelayMs?: number;
  /** A retry is not started unless this much time is left after its delay. @default 100 */
  readonly minAttemptMs?: number;
  /** Attempts per record, first included. @default 10 */
  readonly maxAttempts?: number;
  /** Uniform [0, 1) source for jitter. @default Math.random */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** What happened to a batch. */
export interface PutRecordsOutcome {
  /** One result per input entry, in input order. */
  readonly results: RecordResult[];
  readonly failedRecordCount: number;
  /** PutRecords rounds made (1 = no retry). */
  readonly attempts: number;
}

/**
 * Writes `entries` in calls of ≤ 500 records and ≤ 5 MiB, resending only retriable failures.
 * Never throws for Kinesis or network errors: they end up as per-record `errorCode`s.
 *
 * @example
 * const { results, failedRecordCount } = await putRecordsWithRetry(kinesis, entries, {
 *   streamName: "kinesis-ingest-dev",
 *   deadline: Date.now() + context.getRemainingTimeInMillis() - 1000,
 * });
 */
export async function putRecordsWithRetry(
  client: KinesisClient,
  entries: readonly PutRecordsRequestEntry[],
  options: PutRecordsRetryOptions,
): Promise<PutRecordsOutcome> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sharedSleep;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 1000;
  const minAttemptMs = options.minAttemptMs ?? 100;
  const maxAttempts = options.maxAttempts ?? 10;
  const sizes = entries.map((e) => (e.Data?.length ?? 0) + Buffer.byteLength(e.PartitionKey ?? "", "utf8"));
  const results = new Array<RecordResult>(entries.length);

  let pending = entries.map((_, i) => i);
  let attempts = 0;
  while (pending.length > 0) {
    attempts++;
    const retry: number[] = [];
    for (const chunk of chunkIndexes(pending, sizes)) {
      // The first round always runs; its calls are cut off at the deadline like any other.
      const budget = Math.max(options.deadline - now(), attempts === 1 ? minAttemptMs : 0);
      await putChunk(client, options.streamName, entries, chunk, budget, results, retry);
    }
    pending = retry;
    if (pending.length === 0 || attempts >= maxAttempts) break;
    // Full jitter spreads competing writers apart; never past the deadline. Round `attempts` was retry `attempts - 1`.
    const room = options.deadline - now() - minAttemptMs;
    if (room <= 0) break;
    await sleep(Math.min(backoffDelay(attempts - 1, { baseMs: baseDelayMs, maxMs: maxDelayMs }, random), room));
  }
  let failedRecordCount = 0;
  for (const result of results) if ("errorCode" in result) failedRecordCount++;
  return { results, failedRecordCount, attempts };
}

async function putChunk(
  client: KinesisClient,
  streamName: string,
  entries: readonly PutRecordsRequestEntry[],
  chunk: readonly number[],
  budgetMs: number,
  results: RecordResult[],
  retry: number[],
): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), budgetMs);
  try {
    const command = new PutRecordsCommand({ StreamName: streamName, Records: chunk.map((i) => entries[i]!) }); // chunk holds indexes into entries
    const output = await client.send(command, { abortSignal: abort.signal });
    const answered = output.Records ?? [];
    chunk.forEach((index, j) => {
      const entry = answered[j];
      if (entry?.SequenceNumber && entry.ShardId && !entry.ErrorCode) {
        results[index] = { sequenceNumber: entry.SequenceNumber, shardId: entry.ShardId };
        return;
      }
      const errorCode = entry?.ErrorCode ?? "InternalFailure";
      results[index] = { errorCode, errorMessage: entry?.ErrorMessage ?? "Kinesis returned no result for this record." };
      if (isRetriableEntryError(errorCode)) retry.push(index);
    });
  } catch (error) {
    const failure = abort.signal.aborted
      ? {
          errorCode: DEADLINE_EXCEEDED,
          errorMessage: "The write did not finish before the function ran out of time; the record may or may not have been stored.",
        }
      : { errorCode: errorName(error), errorMessage: errorMessage(error) };
    for (const index of chunk) results[index] = failure;
    if (!abort.signal.aborted && classifyAwsError(error) !== "permanent") retry.push(...chunk);
  } finally {
    clearTimeout(timer);
  }
}

/** Splits indexes (kept in order) into PutRecords calls of ≤ 500 records and ≤ 5 MiB of data plus keys. */
function chunkIndexes(indexes: readonly number[], sizes: readonly number[]): number[][] {
  // An entry over 5 MiB cannot reach here (a record is at most 1 MiB); were one to, it would go alone.
  return planChunks(indexes, (i) => sizes[i]!, PUT_RECORDS_CALL).map((chunk) =>
    chunk.kind === "request" ? [...chunk.indices] : [chunk.index],
  );
}

function errorName(error: unknown): string {
  if (!(error instanceof Error)) return "UnknownError";
  const code = (error as Error & { code?: unknown }).code;
  return error.name === "Error" && typeof code === "string" ? code : error.name;
}

function errorMessage(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "The PutRecords call failed.";
}
