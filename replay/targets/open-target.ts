/** Picks the replay target the flags name, checking what can be checked before anything is read. */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { KinesisProducer } from "../../client/kinesis-producer";
import { UsageError } from "../errors";
import { describeStream } from "../stream-info";
import { fileTarget } from "./file-target";
import { functionTarget, replayIdentityArn } from "./function-target";
import { assertNotSourceStream, streamTarget } from "./stream-target";
import { dryRunTarget, type ReplayTarget } from "./target";

/** The target flags and the clients a target may need. */
export interface TargetChoice {
  /** The stream replayed from; absent when replaying from the archive (then `sourceArn` is set). */
  readonly sourceStream?: string;
  /** The `eventSourceARN` of function events when there is no source stream (the archive's S3 ARN). */
  readonly sourceArn?: string;
  readonly toFunction?: string;
  readonly toStream?: string;
  readonly toFile?: string;
  readonly dryRun: boolean;
  readonly allowSameStream: boolean;
  /** `--reprocess`: the function runs records its idempotency store says it completed before. */
  readonly reprocess?: boolean;
  readonly maxRetries?: number;
  readonly kinesis: KinesisClient;
  readonly lambda: () => LambdaClient;
  readonly region: string;
}

/** Opens exactly one target; `--dry-run` replaces it with a counter. */
export async function openReplayTarget(choice: TargetChoice): Promise<ReplayTarget> {
  const named = [choice.toFunction, choice.toStream, choice.toFile].filter((t) => t !== undefined).length;
  if (named > 1) throw new UsageError("Give one target: --to-function, --to-stream or --to-file.");
  if (named === 0 && !choice.dryRun)
    throw new UsageError("Give a target (--to-function NAME, --to-stream NAME or --to-file PATH) or --dry-run.");
  if (choice.reprocess && choice.toFunction === undefined)
    throw new UsageError(
      "--reprocess applies only with --to-function: it asks the consumer to run records it already completed; a stream or a file takes every record anyway.",
    );
  if (choice.toStream !== undefined && choice.sourceStream !== undefined)
    assertNotSourceStream(choice.sourceStream, choice.toStream, choice.allowSameStream);
  if (choice.dryRun) return dryRunTarget();
  if (choice.toFile !== undefined) return fileTarget(choice.toFile);
  const sourceArn =
    choice.sourceStream !== undefined
      ? (await describeStream(choice.kinesis, choice.sourceStream)).streamArn
      : (choice.sourceArn as string);
  if (choice.toStream !== undefined) {
    await describeStream(choice.kinesis, choice.toStream, "(the --to-stream target)");
    // One PutRecords in flight per shard: a retried entry can never overtake a later record of its key.
    const producer = await KinesisProducer.create({ streamName: choice.toStream, client: choice.kinesis, maxInFlightPerShard: 1 });
    return streamTarget(choice.toStream, producer);
  }
  return functionTarget({
    lambda: choice.lambda(),
    functionName: choice.toFunction as string,
    source: { streamArn: sourceArn, region: choice.region, invokeIdentityArn: replayIdentityArn(sourceArn) },
    maxRetries: choice.maxRetries,
    reprocess: choice.reprocess ? true : undefined,
  });
}
