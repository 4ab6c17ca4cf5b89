/**
 * `kinesis-ingest replay`: replays a time range of a stream, or of its S3 archive (`--from-archive`), into a
 * function, another stream or a file.
 * Exports `main(argv)` for `cli/main.ts`; also runnable directly (`tsx cli/replay.ts …`).
 */
import { EXIT } from "../cli-kit/exit-codes";
import { parsePositive, parseTime } from "../cli-kit/flag-values";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { CheckpointFile } from "../replay/checkpoint";
import { kinesisClientFor, lambdaClientFor, resolveRegion, s3ClientFor, withLocalStackEndpoints, type AwsTarget } from "../replay/clients";
import { archiveSource, type ArchiveSource } from "../replay/archive/archive-source";
import { parseArchiveLocation } from "../replay/archive/location";
import { AWS_TARGET_FLAGS, AWS_TARGET_HELP, awsTargetFrom, describeLocation } from "./aws-target-flags";
import { runCommand } from "./run-command";
import { parseWhere } from "../replay/filters";
import { showProgress } from "../replay/progress-board";
import { recordLine, type RecordCounts } from "../replay/record-results";
import { runReplay, type ReplaySummary } from "../replay/replay";
import { ReplayStats } from "../replay/replay-stats";
import type { ReplaySource } from "../replay/source";
import { parseSequenceStart, type ReplayStart } from "../replay/start-plan";
import { streamSource } from "../replay/stream-source";
import { openReplayTarget } from "../replay/targets/open-target";

const HELP = `Usage: kinesis-ingest replay --stream NAME (--from ISO-TIME | --from-sequence SHARD:SEQ) [--to ISO-TIME]
       (--to-function NAME | --to-stream NAME | --to-file PATH | --dry-run) [options]
       kinesis-ingest replay --from-archive s3://BUCKET/PREFIX --from ISO-TIME [--to ISO-TIME] (target) [options]

Reads every shard from the start point to --to (or the stream's tip when the replay started), closed
parent shards before their children, and delivers the records in order per shard. With --from-archive
it reads the archiver's S3 objects instead (records that already left the stream), in sequence order per
shard, each record once, the records that arrived in [--from, --to).
  --stream NAME                source stream
  --from-archive s3://B/P      source archive (the archiver consumer's bucket and prefix)
  --skip-bad-objects           with --from-archive: report a truncated or malformed object and go on
                               without it (exit 3) instead of stopping (exit 1)
  --s3-endpoint URL            with --from-archive: override for S3 (the local stack's is found at
                               --endpoint URL/_local/status)
  --from ISO-TIME              start at this arrival time (AT_TIMESTAMP)
  --from-sequence SHARD:SEQ    start at this record (AT_SEQUENCE_NUMBER); other shards from its arrival time
  --to ISO-TIME                last arrival time to replay (default: now)
  --partition-key KEY          only records with this key (repeatable: any of)
  --where FIELD.PATH=VALUE     only JSON records whose field equals VALUE (repeatable: all of)
  --to-function NAME           invoke this function with Lambda-shaped Kinesis events; each record is
                               counted by what the function reports it did (delivered, skipped as a
                               duplicate, isolated, failed), or as acknowledged when it sends no report
  --reprocess                  with --to-function: run again the records the function completed before
                               (its idempotency store would skip them), for this replay only
  --to-stream NAME             re-put the records into this stream
  --allow-same-stream          allow --to-stream to name the source stream
  --to-file PATH               write NDJSON (overwritten unless resuming from --checkpoint)
  --dry-run                    count what would be replayed, deliver nothing
  --batch-size N               records per delivery (default 100, max 10000)
  --max-retries N              re-invocations of a failing batch before it is reported (default 3)
  --rate N                     at most N records/s over all shards
  --checkpoint FILE            save progress after every batch; rerun the same command to resume
${AWS_TARGET_HELP}
Prints one JSON line per record the function skipped, isolated or failed ({"record": …}), then the summary.
Exit codes: 0 done, 1 failed, 64 bad usage, 3 done but some records were not delivered (failed or isolated)
or archive objects were skipped (listed on stdout).`;

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
      reprocess: { type: "boolean" },
      "to-stream": { type: "string" },
      "allow-same-stream": { type: "boolean" },
      "to-file": { type: "string" },
      "dry-run": { type: "boolean" },
      "batch-size": { type: "string" },
      "max-retries": { type: "string" },
      rate: { type: "string" },
      checkpoint: { type: "string" },
      "from-archive": { type: "string" },
      "skip-bad-objects": { type: "boolean" },
      "s3-endpoint": { type: "string" },
      ...AWS_TARGET_FLAGS,
    });
    rejectPositionals(positionals);
    const archive = values["from-archive"];
    checkSourceFlags(values);
    const aws = await withLocalStackEndpoints({ ...awsTargetFrom(values), s3Endpoint: values["s3-endpoint"] });
    const region = resolveRegion(aws);
    const kinesis = kinesisClientFor(aws);
    const source = archive === undefined ? undefined : openArchive(archive, values, aws, region);
    const replaySource = source ?? streamFrom(values, kinesis, aws, region);
    const target = await openReplayTarget({
      sourceStream: values.stream,
      sourceArn: source && `arn:aws:s3:::${source.name.slice("s3://".length)}`,
      toFunction: values["to-function"],
      toStream: values["to-stream"],
      toFile: values["to-file"],
      dryRun: values["dry-run"] ?? false,
      allowSameStream: values["allow-same-stream"] ?? false,
      reprocess: values.reprocess ?? false,
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
        source: replaySource,
        to: values.to === undefined ? undefined : parseTime("--to", values.to),
        partitionKeys: values["partition-key"],
        where: values.where?.map(parseWhere),
        target,
        batchSize: parsePositive("--batch-size", values["batch-size"]),
        rate: parsePositive("--rate", values.rate, true),
        checkpoint: values.checkpoint === undefined ? undefined : new CheckpointFile(values.checkpoint),
        stats,
        // Each as it is known, like redrive's message lines: a long replay shows them, a killed one keeps them.
        onRecord: (result) => process.stdout.write(JSON.stringify({ record: recordLine(result) }) + "\n"),
      });
    } finally {
      stopProgress();
      await target.close();
      kinesis.destroy();
    }
    process.stdout.write(JSON.stringify(summaryJson(summary, values["dry-run"] ?? false, source)) + "\n");
    const totals = stats.totals();
    for (const note of outcomeNotes(totals, values["to-function"] ?? "")) process.stderr.write(`kinesis-ingest replay: ${note}\n`);
    return stats.failures.length > 0 || totals.isolated > 0 || (source?.skipped.length ?? 0) > 0 ? EXIT.partial : EXIT.ok;
  });
}

type SourceFlags = {
  stream?: string;
  from?: string;
  "from-sequence"?: string;
  "from-archive"?: string;
  "skip-bad-objects"?: boolean;
  "s3-endpoint"?: string;
  "allow-same-stream"?: boolean;
};

/** Exactly one source, and each flag only with the source it belongs to. */
function checkSourceFlags(values: SourceFlags): void {
  if (values["from-archive"] === undefined) {
    if (!values.stream) throw new UsageError("--stream NAME (or --from-archive s3://BUCKET/PREFIX) is required.");
    if (values["skip-bad-objects"]) throw new UsageError("--skip-bad-objects applies only with --from-archive.");
    if (values["s3-endpoint"] !== undefined) throw new UsageError("--s3-endpoint applies only with --from-archive.");
    return;
  }
  if (values.stream !== undefined) throw new UsageError("Give one source: --stream NAME or --from-archive s3://BUCKET/PREFIX, not both.");
  if (values["from-sequence"] !== undefined)
    throw new UsageError("--from-sequence names a stream record; with --from-archive give --from ISO-TIME.");
  if (values["allow-same-stream"])
    throw new UsageError("--allow-same-stream applies only with --stream (an archive has no source stream).");
  if (values.from === undefined) throw new UsageError("--from-archive needs --from ISO-TIME (the first arrival time to replay).");
}

function openArchive(archive: string, values: SourceFlags, aws: AwsTarget, region: string): ArchiveSource {
  const s3Endpoint = aws.s3Endpoint ?? aws.endpoint;
  return archiveSource({
    s3: s3ClientFor(aws),
    location: parseArchiveLocation(archive),
    from: parseTime("--from", values.from as string),
    skipBadObjects: values["skip-bad-objects"] ?? false,
    where: `in region ${region}${s3Endpoint ? ` at ${s3Endpoint}` : ""}`,
  });
}

function streamFrom(values: SourceFlags, kinesis: ReturnType<typeof kinesisClientFor>, aws: AwsTarget, region: string): ReplaySource {
  return streamSource({
    kinesis,
    streamName: values.stream as string,
    start: startFrom(values.from, values["from-sequence"]),
    location: describeLocation(aws, region),
    // Only emulators need it (see ShardReadOptions.atTimestampTimeoutMs); AWS answers at once.
    atTimestampTimeoutMs: (aws.kinesisEndpoint ?? aws.endpoint) ? EMULATOR_AT_TIMESTAMP_TIMEOUT_MS : undefined,
  });
}

function startFrom(from: string | undefined, fromSequence: string | undefined): ReplayStart {
  if ((from === undefined) === (fromSequence === undefined))
    throw new UsageError("Give exactly one of --from ISO-TIME or --from-sequence SHARD:SEQ.");
  return from !== undefined ? { kind: "time", at: parseTime("--from", from) } : parseSequenceStart(fromSequence as string);
}

function summaryJson(summary: ReplaySummary, dryRun: boolean, archive: ArchiveSource | undefined) {
  const totals = summary.stats.totals();
  return {
    ...(archive ? { archive: summary.source, skippedObjects: archive.skipped } : { stream: summary.source }),
    from: summary.from,
    until: summary.until.toISOString(),
    resumed: summary.resumed,
    dryRun,
    [dryRun ? "wouldDeliver" : "delivered"]: totals.delivered,
    read: totals.read,
    failed: totals.failed,
    skipped: totals.skipped,
    isolated: totals.isolated,
    acknowledged: totals.acknowledged,
    shards: Object.fromEntries(
      [...summary.stats.shards.entries()].map(([id, s]) => [
        id,
        {
          state: s.state,
          read: s.read,
          delivered: s.delivered,
          failed: s.failed,
          skipped: s.skipped,
          isolated: s.isolated,
          acknowledged: s.acknowledged,
        },
      ]),
    ),
    failures: summary.stats.failures,
  };
}

/** What the counts mean for someone who replayed to get records processed, and what to do about it. */
function outcomeNotes(totals: RecordCounts, functionName: string): string[] {
  const notes: string[] = [];
  if (totals.skipped > 0)
    notes.push(
      `${totals.skipped} records were skipped as duplicates: ${functionName} had completed them before (its idempotency store). ` +
        "Run the same replay with --reprocess to run them again.",
    );
  if (totals.isolated > 0)
    notes.push(
      `${totals.isolated} records were isolated: ${functionName} sent each alone to its on-failure queue (redrive them from there).`,
    );
  if (totals.acknowledged > 0)
    notes.push(
      `${totals.acknowledged} records were acknowledged without a per-record report (${functionName} is not built on the consumer runtime): ` +
        "whether it delivered or skipped them is not known, so they are not counted as delivered.",
    );
  return notes;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
