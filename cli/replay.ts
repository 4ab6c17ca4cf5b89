/**
 * `kinesis-ingest replay`: replays a time range of a stream into a function, another stream or a file.
 * Exports `main(argv)` for `cli/main.ts`; also runnable directly (`tsx cli/replay.ts …`).
 */
import { EXIT } from "../cli-kit/exit-codes";
import { parsePositive, parseTime } from "../cli-kit/flag-values";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { CheckpointFile } from "../replay/checkpoint";
import { kinesisClientFor, lambdaClientFor, resolveRegion, withLocalStackEndpoints } from "../replay/clients";
import { AWS_TARGET_FLAGS, AWS_TARGET_HELP, awsTargetFrom, describeLocation } from "./aws-target-flags";
import { runCommand } from "./run-command";
import { parseWhere } from "../replay/filters";
import { showProgress } from "../replay/progress-board";
import { runReplay, type ReplaySummary } from "../replay/replay";
import { ReplayStats } from "../replay/replay-stats";
import { parseSequenceStart, type ReplayStart } from "../replay/start-plan";
import { openReplayTarget } from "../replay/targets/open-target";

const HELP = `Usage: kinesis-ingest replay --stream NAME (--from ISO-TIME | --from-sequence SHARD:SEQ) [--to ISO-TIME]
       (--to-function NAME | --to-stream NAME | --to-file PATH | --dry-run) [options]

Reads every shard from the start point to --to (or the stream's tip when the replay started), closed
parent shards before their children, and delivers the records in order per shard.
  --stream NAME                source stream
  --from ISO-TIME              start at this arrival time (AT_TIMESTAMP)
  --from-sequence SHARD:SEQ    start at this record (AT_SEQUENCE_NUMBER); other shards from its arrival time
  --to ISO-TIME                last arrival time to replay (default: now)
  --partition-key KEY          only records with this key (repeatable: any of)
  --where FIELD.PATH=VALUE     only JSON records whose field equals VALUE (repeatable: all of)
  --to-function NAME           invoke this function with Lambda-shaped Kinesis events
  --to-stream NAME             re-put the records into this stream
  --allow-same-stream          allow --to-stream to name the source stream
  --to-file PATH               write NDJSON (overwritten unless resuming from --checkpoint)
  --dry-run                    count what would be replayed, deliver nothing
  --batch-size N               records per delivery (default 100, max 10000)
  --max-retries N              re-invocations of a failing batch before it is reported (default 3)
  --rate N                     at most N records/s over all shards
  --checkpoint FILE            save progress after every batch; rerun the same command to resume
${AWS_TARGET_HELP}
Exit codes: 0 done, 1 failed, 64 bad usage, 3 done but some records were not delivered (listed on stdout).`;

const EMULATOR_AT_TIMESTAMP_TIMEOUT_MS = 2000;

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runCommand("replay", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      stream: { type: "string" },
      from: { type: "string" },
      "from-sequence": { type: "string" },
      to: { type: "string" },
      "partition-key": { type: "string", multiple: true },
      where: { type: "string", multiple: true },
      "to-function": { type: "string" },
      "to-stream": { type: "string" },
      "allow-same-stream": { type: "boolean" },
      "to-file": { type: "string" },
      "dry-run": { type: "boolean" },
      "batch-size": { type: "string" },
      "max-retries": { type: "string" },
      rate: { type: "string" },
      checkpoint: { type: "string" },
      ...AWS_TARGET_FLAGS,
    });
    rejectPositionals(positionals);
    if (!values.stream) throw new UsageError("--stream is required.");
    const start = startFrom(values.from, values["from-sequence"]);
    const aws = await withLocalStackEndpoints(awsTargetFrom(values));
    const region = resolveRegion(aws);
    const kinesis = kinesisClientFor(aws);
    const target = await openReplayTarget({
      sourceStream: values.stream,
      toFunction: values["to-function"],
      toStream: values["to-stream"],
      toFile: values["to-file"],
      dryRun: values["dry-run"] ?? false,
      allowSameStream: values["allow-same-stream"] ?? false,
      maxRetries: values["max-retries"] === undefined ? undefined : Number(parsePositive("--max-retries", values["max-retries"])),
      kinesis,
      lambda: () => lambdaClientFor(aws),
      region,
    });
    const stats = new ReplayStats();
    const stopProgress = showProgress(stats);
    let summary: ReplaySummary;
    try {
      summary = await runReplay({
        kinesis,
        streamName: values.stream,
        start,
        to: values.to === undefined ? undefined : parseTime("--to", values.to),
        partitionKeys: values["partition-key"],
        where: values.where?.map(parseWhere),
        target,
        batchSize: parsePositive("--batch-size", values["batch-size"]),
        rate: parsePositive("--rate", values.rate, true),
        checkpoint: values.checkpoint === undefined ? undefined : new CheckpointFile(values.checkpoint),
        stats,
        location: describeLocation(aws, region),
        // Only emulators need it (see ShardReadOptions.atTimestampTimeoutMs); AWS answers at once.
        atTimestampTimeoutMs: (aws.kinesisEndpoint ?? aws.endpoint) ? EMULATOR_AT_TIMESTAMP_TIMEOUT_MS : undefined,
      });
    } finally {
      stopProgress();
      await target.close();
      kinesis.destroy();
    }
    process.stdout.write(JSON.stringify(summaryJson(summary, values["dry-run"] ?? false)) + "\n");
    return stats.failures.length > 0 ? EXIT.partial : EXIT.ok;
  });
}

function startFrom(from: string | undefined, fromSequence: string | undefined): ReplayStart {
  if ((from === undefined) === (fromSequence === undefined))
    throw new UsageError("Give exactly one of --from ISO-TIME or --from-sequence SHARD:SEQ.");
  return from !== undefined ? { kind: "time", at: parseTime("--from", from) } : parseSequenceStart(fromSequence as string);
}

function summaryJson(summary: ReplaySummary, dryRun: boolean) {
  const totals = summary.stats.totals();
  return {
    stream: summary.stream.streamName,
    from: summary.from,
    until: summary.until.toISOString(),
    resumed: summary.resumed,
    dryRun,
    [dryRun ? "wouldDeliver" : "delivered"]: totals.delivered,
    read: totals.read,
    failed: totals.failed,
    shards: Object.fromEntries(
      [...summary.stats.shards.entries()].map(([id, s]) => [
        id,
        { state: s.state, read: s.read, delivered: s.delivered, failed: s.failed },
      ]),
    ),
    failures: summary.stats.failures,
  };
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
