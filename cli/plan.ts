/**
 * `kinesis-ingest plan --rate R --record-bytes B`: sizes a stream for a traffic (shards, and the bill of each
 * capacity mode from the dated price table), the consumer settings that keep up, and the warnings; with
 * `--stack NAME`, whether that stack keeps up. Offline: no AWS call. Exports `main(argv)` for `cli/main.ts`.
 */
import { EXIT } from "../cli-kit/exit-codes";
import { integerFlag, parsePositive } from "../cli-kit/flag-values";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { checkStack, type StackCapacity } from "../capacity/stack-check";
import { planCapacity } from "../capacity/plan";
import { renderPlan } from "../capacity/render";
import type { Readers } from "../capacity/types";
import { loadStackFile, type StackConfig } from "../config";
import { CONSUMER_DEFAULTS } from "../config/defaults";
import { PROJECT_DIR } from "../config/project";
import { stackRegion } from "../doctor/stack-region";
import { MAX_REGISTERED_CONSUMERS } from "../semantics/enhanced-fan-out";
import { KINESIS_PRICES, pricesFor } from "../semantics/kinesis-pricing";
import { RECORD_SIZE_KIB } from "../semantics/large-records";
import { MAX_RECORD_BYTES } from "../semantics/limits";
import { runCommand } from "./run-command";

const HELP = `Usage: kinesis-ingest plan --rate RECORDS_PER_S --record-bytes B [--peak RECORDS_PER_S] [--consumers N] [--efo]
                           [--record-ms MS] [--region REGION] [--stack NAME [--dir DIR]] [--json]

Sizes a stream for a traffic, offline: Provisioned shards (per-shard limits: writes 1 MiB/s and 1,000
records/s, reads 2 MiB/s shared or per enhanced fan-out consumer; unaggregated and with KPL aggregation),
On-demand Standard and On-demand Advantage, each with its monthly cost (730 hours) from the dated price table
in semantics/kinesis-pricing.ts; the consumer settings that keep up (parallelization factor, batch size,
Lambda concurrency); and warnings (hot keys, the 6 MB invoke payload, the shard quota).
  --rate N          average records per second (what the month is billed on)
  --record-bytes B  bytes of one record as Kinesis counts it, data plus partition key, 1 to ${RECORD_SIZE_KIB.max * 1024}
                    (above ${MAX_RECORD_BYTES} the stream needs stream.maxRecordSizeKiB: see the warnings)
  --peak N          records per second to size for (default: --rate; not below it)
  --consumers N     consumers reading every record, 0-${MAX_REGISTERED_CONSUMERS} (default 1, or the stack's enabled consumers)
  --efo             the consumers read through enhanced fan-out (default: shared throughput, or the stack's)
  --record-ms MS    milliseconds one record takes to process, for the parallelization factor and batch size
  --region REGION   the prices' Region (default: the stack file's aws:region, else AWS_REGION, else us-east-1);
                    known: ${Object.keys(KINESIS_PRICES).join(", ")}
  --stack NAME      also say whether Pulumi.NAME.yaml's stream and consumers keep up with this traffic
  --dir DIR         where the stack files are (default: the project folder)
  --json            print the plan as JSON
Exit codes: 0 planned (and the stack keeps up), 1 an invalid stack file or an error, 5 the stack does not keep
up, 64 bad usage.`;

/** Runs the command; resolves with the exit code. `now` is the tests' seam for the prices' age. */
export async function main(argv: string[], now: () => Date = () => new Date()): Promise<number> {
  return runCommand("plan", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      rate: { type: "string" },
      "record-bytes": { type: "string" },
      peak: { type: "string" },
      consumers: { type: "string" },
      efo: { type: "boolean" },
      "record-ms": { type: "string" },
      region: { type: "string" },
      stack: { type: "string" },
      dir: { type: "string" },
      json: { type: "boolean" },
    });
    rejectPositionals(positionals);
    if (values.rate === undefined || values["record-bytes"] === undefined) {
      throw new UsageError("--rate and --record-bytes are required (e.g. --rate 5000 --record-bytes 1024).");
    }
    if (values.dir !== undefined && values.stack === undefined) throw new UsageError("--dir applies to --stack only.");
    const rate = parsePositive("--rate", values.rate)!;
    const peak = parsePositive("--peak", values.peak) ?? rate;
    if (peak < rate) throw new UsageError(`--peak must be at least --rate (${rate}), got ${peak}.`);
    const recordBytes = integerFlag(values["record-bytes"], "record-bytes", { min: 1, max: RECORD_SIZE_KIB.max * 1024 }, 0);
    const recordMs = parsePositive("--record-ms", values["record-ms"], true);
    const dir = values.dir ?? PROJECT_DIR;
    const config = values.stack === undefined ? undefined : loadStackFile(values.stack, dir);
    const region = values.region ?? (values.stack ? stackRegion(values.stack, dir) : process.env.AWS_REGION) ?? "us-east-1";
    const prices = pricesFor(region);
    if (prices === undefined) {
      throw new UsageError(
        `no Kinesis prices for ${region} in semantics/kinesis-pricing.ts (known: ${Object.keys(KINESIS_PRICES).join(", ")}; ` +
          "the other Regions' prices were not in the stored pages). Pass --region with a known Region.",
      );
    }
    const stack = config && stackCapacity(values.stack!, config);
    const readers = readersOf(values.consumers, values.efo, stack);
    const traffic = { rate, peak, recordBytes };
    // The plan's batch sizes fit the shortest timeout among the stack's consumers, else the default consumer's.
    const timeouts = stack?.consumers.map((c) => c.timeoutSeconds) ?? [];
    const timeoutSeconds = timeouts.length > 0 ? Math.min(...timeouts) : CONSUMER_DEFAULTS.timeoutSeconds;
    const plan = planCapacity({ traffic, readers, region, prices, recordMs, timeoutSeconds, now: now() });
    const verdict = stack && checkStack(stack, traffic, region, recordMs);
    process.stdout.write(values.json ? `${JSON.stringify(verdict ? { ...plan, stack: verdict } : plan)}\n` : renderPlan(plan, verdict));
    return verdict && !verdict.keepsUp ? EXIT.fallsBehind : EXIT.ok;
  });
}

/** What the check reads of the validated stack. */
function stackCapacity(name: string, config: StackConfig): StackCapacity {
  return {
    name,
    mode: config.stream.mode,
    shards: config.stream.shards,
    maxRecordSizeKiB: config.stream.maxRecordSizeKiB,
    consumers: Object.values(config.consumers).map((c) => ({
      name: c.name,
      fanOut: c.fanOutConsumer !== undefined,
      parallelizationFactor: c.parallelizationFactor,
      batchSize: c.batchSize,
      timeoutSeconds: c.timeoutSeconds,
      enabled: c.enabled,
    })),
  };
}

/** The flags, else the stack's enabled consumers (priced as enhanced fan-out when every one of them is), else one shared. */
function readersOf(consumers: string | undefined, efo: boolean | undefined, stack: StackCapacity | undefined): Readers {
  const enabled = stack?.consumers.filter((c) => c.enabled) ?? [];
  const fromStack = stack !== undefined;
  return {
    consumers: integerFlag(consumers, "consumers", { min: 0, max: MAX_REGISTERED_CONSUMERS }, fromStack ? enabled.length : 1),
    efo: efo ?? (fromStack && enabled.length > 0 && enabled.every((c) => c.fanOut)),
  };
}
