/**
 * `kinesis-ingest send [FILE|-]`: its flags, and the producer they choose, to the API (`--url`) or straight to a
 * stream (`--stream`); the lines themselves are sent by `sendLines` (cli/send-lines.ts).
 */
import { statSync } from "node:fs";
import path from "node:path";
import { HttpProducer } from "../client/http-producer";
import { PRODUCER_DEFAULTS as D } from "../client/producer-defaults";
import { RECORD_SIZE_KIB } from "../semantics/large-records";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import type { Producer } from "../client/types";
import { choiceFlag, integerFlag } from "../cli-kit/flag-values";
import { parseFlags } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { runCommand } from "./run-command";
import { describeSummary, sendLines } from "./send-lines";

const HELP = `Usage: kinesis-ingest send [FILE|-] (--url URL [--token TOKEN] [--api-key KEY] | --stream NAME [--endpoint URL] [--region REGION] [--aggregate]) [options]

Sends NDJSON records, one a line: {"data": <any JSON>, "partitionKey"?: "…"}, {"dataBase64": "…", "partitionKey"?: "…"},
or any other JSON value (sent as the data). Reads standard input when FILE is - or absent. Blank lines are skipped.
  --url URL              the ingest API (POST URL/records)
  --token TOKEN          bearer token for the API (default: $INGEST_TOKEN)
  --api-key KEY          API key sent as x-api-key, for the REST API front (default: $INGEST_API_KEY)
  --stream NAME          send straight to this Kinesis stream (PutRecords) instead of the API
  --endpoint URL         Kinesis endpoint (emulators, VPC endpoints); AWS credentials from the usual chain
  --region REGION        AWS region (default: $AWS_REGION)
  --aggregate            pack records into KPL aggregates (direct mode only)
  --concurrency N        requests in flight, 1-256 (default ${D.http.maxInFlight} for the API, ${D.kinesis.maxInFlight} direct)
  --batch-size N         records per request, 1-${MAX_PUT_RECORDS_COUNT} (default ${MAX_PUT_RECORDS_COUNT})
  --linger-ms N          how long a partial batch waits for more records, 0-10000 (default ${D.http.lingerMs} API, ${D.kinesis.lingerMs} direct)
  --timeout-ms N         give up on a record not stored this long after it was read (default ${D.recordTimeoutMs})
  --max-record-size-kib N  the stream's stream.maxRecordSizeKiB, ${RECORD_SIZE_KIB.min}-${RECORD_SIZE_KIB.max}: larger records are refused
                         before sending (default ${RECORD_SIZE_KIB.default}, Kinesis's default)
  --failed FILE          write every record that was not stored here (NDJSON: the input record plus "error")
  --on-invalid MODE      an invalid line: fail (default: report it, send nothing further, exit 1) or skip (report it, exit 2)
  --json                 print the summary as JSON on stdout
  --progress / --no-progress   force the progress line on stderr (default: on when stderr is a TTY)
Exit codes: 0 every record stored; 1 some record not stored, or an invalid line with --on-invalid fail, or an error;
2 every valid record stored but invalid lines were skipped; 64 bad usage.`;

/** Runs the command; resolves with the exit code. */
export function main(argv: string[]): Promise<number> {
  return runCommand("send", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      url: { type: "string" },
      token: { type: "string" },
      "api-key": { type: "string" },
      stream: { type: "string" },
      endpoint: { type: "string" },
      region: { type: "string" },
      aggregate: { type: "boolean" },
      concurrency: { type: "string" },
      "batch-size": { type: "string" },
      "linger-ms": { type: "string" },
      "timeout-ms": { type: "string" },
      "max-record-size-kib": { type: "string" },
      failed: { type: "string" },
      "on-invalid": { type: "string" },
      json: { type: "boolean" },
      progress: { type: "boolean" },
      "no-progress": { type: "boolean" },
    });
    if (positionals.length > 1)
      throw new UsageError(`expected at most one input FILE, got ${positionals.length}: ${positionals.join(" ")}.`);
    if ((values.url === undefined) === (values.stream === undefined))
      throw new UsageError("give exactly one of --url (the API) or --stream (direct to Kinesis).");
    if (values.url !== undefined && (values.aggregate || values.endpoint !== undefined))
      throw new UsageError("--aggregate and --endpoint apply to --stream only.");
    if (values.failed !== undefined && sameFile(positionals[0] ?? "-", values.failed)) {
      throw new UsageError(
        `--failed ${values.failed} is the input file; opening it for writing would empty it before it is read. Name another file.`,
      );
    }
    const direct = values.stream !== undefined;
    const onInvalid = choiceFlag(values["on-invalid"], "on-invalid", ["fail", "skip"], "fail");
    const tuning = {
      // Unset flags pass nothing: each producer applies its own defaults (client/producer-defaults.ts).
      maxInFlight: integerFlag(values.concurrency, "concurrency", { min: 1, max: 256 }),
      maxBatchRecords: integerFlag(values["batch-size"], "batch-size", { min: 1, max: MAX_PUT_RECORDS_COUNT }),
      lingerMs: integerFlag(values["linger-ms"], "linger-ms", { min: 0, max: 10_000 }),
      recordTimeoutMs: integerFlag(values["timeout-ms"], "timeout-ms", { min: 1, max: 86_400_000 }),
      maxRecordSizeKiB: integerFlag(values["max-record-size-kib"], "max-record-size-kib", RECORD_SIZE_KIB),
    };
    if (values.url !== undefined && !/^https?:\/\//.test(values.url))
      throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(values.url)}.`);
    const producer: Producer = direct
      ? await loadKinesisProducer().create({
          ...tuning,
          streamName: values.stream!,
          endpoint: await kinesisEndpointFor(values.endpoint),
          region: values.region ?? env("AWS_REGION") ?? (values.endpoint !== undefined ? "us-east-1" : undefined),
          credentials: emulatorCredentials(values.endpoint),
          aggregate: values.aggregate ?? false,
        })
      : new HttpProducer({
          ...tuning,
          url: values.url!,
          token: values.token ?? env("INGEST_TOKEN"),
          apiKey: values["api-key"] ?? env("INGEST_API_KEY"),
        });
    const showProgress = values["no-progress"] ? false : values.progress ? true : undefined;
    const maxRecordBytes = (tuning.maxRecordSizeKiB ?? RECORD_SIZE_KIB.default) * 1024;
    const summary = await sendLines(producer, positionals[0] ?? "-", {
      onInvalid,
      failedPath: values.failed,
      showProgress,
      maxRecordBytes,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stderr.write(describeSummary(summary));
    return summary.exitCode;
  });
}

/** The direct producer loads the Kinesis SDK: only pay for it when `--stream` is used. */
function loadKinesisProducer(): typeof import("../client/kinesis-producer").KinesisProducer {
  return (require("../client/kinesis-producer") as typeof import("../client/kinesis-producer")).KinesisProducer;
}

/** `--endpoint` as given, or the Kinesis emulator behind it when it is the local stack's URL (which serves no Kinesis API itself). */
async function kinesisEndpointFor(endpoint: string | undefined): Promise<string | undefined> {
  if (endpoint === undefined) return undefined;
  const { withLocalStackEndpoints } = require("../replay/clients") as typeof import("../replay/clients");
  return (await withLocalStackEndpoints({ endpoint })).kinesisEndpoint ?? endpoint;
}

/** Whether the `--failed` path names the input file (re-sending a failed file into itself). */
function sameFile(input: string, failedPath: string): boolean {
  if (input === "-") return false;
  if (path.resolve(input) === path.resolve(failedPath)) return true;
  const inputStat = statSync(input, { throwIfNoEntry: false });
  const failedStat = statSync(failedPath, { throwIfNoEntry: false });
  return inputStat !== undefined && failedStat !== undefined && inputStat.dev === failedStat.dev && inputStat.ino === failedStat.ino;
}

/** An environment variable, with an empty value taken as unset. */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Emulators accept any credentials; real endpoints get the SDK's default chain. */
function emulatorCredentials(endpoint: string | undefined) {
  if (endpoint === undefined || env("AWS_ACCESS_KEY_ID") !== undefined) return undefined;
  const host = new URL(endpoint).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "::1" ? { accessKeyId: "local", secretAccessKey: "local" } : undefined;
}
