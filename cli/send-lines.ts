/**
 * Sending a file of NDJSON record lines through a producer (`kinesis-ingest send`): each line checked before it
 * is sent, back-pressure from the producer, a record not stored written to `--failed` (or reported by line), and
 * the summary of what really happened.
 */
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseRecordLine } from "../client/ndjson-record";
import type { Producer } from "../client/types";
import { EXIT } from "../cli-kit/exit-codes";
import { startProgress } from "./progress";

/** The summary printed at the end (`--json` prints exactly this object). */
export interface SendSummary {
  readonly lines: number;
  readonly stored: number;
  readonly failed: number;
  readonly invalid: number;
  readonly bytes: number;
  readonly retries: number;
  readonly requests: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly latencyMs: { p50: number; p90: number; p99: number };
  /** The process's peak resident memory (the kernel's high-water mark), to check it stays flat whatever the input size. */
  readonly peakRssMiB: number;
  /** Set when `--on-invalid fail` stopped the input at this line. */
  readonly stoppedAtLine?: number;
  readonly failedFile?: string;
  readonly exitCode: number;
}

export interface SendOptions {
  readonly onInvalid: "fail" | "skip";
  readonly failedPath: string | undefined;
  readonly showProgress: boolean | undefined;
  /** The stream's record limit: a larger line is invalid, reported before anything is sent. */
  readonly maxRecordBytes: number;
}

/** Sends the lines of `input` (a file, or `-` for stdin) through `producer`. */
export async function sendLines(producer: Producer, input: string, options: SendOptions): Promise<SendSummary> {
  const started = Date.now();
  const failedOut: WriteStream | undefined = options.failedPath === undefined ? undefined : createWriteStream(options.failedPath);
  const source = input === "-" ? process.stdin : createReadStream(input);
  const opened = input === "-" ? Promise.resolve() : once(source, "open").then(() => undefined);
  await opened;
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNumber = 0;
  let failed = 0;
  let invalid = 0;
  let stoppedAtLine: number | undefined;
  const progress = startProgress(
    () => {
      const stats = producer.stats();
      return { records: stats.sent, bytes: stats.sentBytes, retries: stats.retried, failed: failed + invalid };
    },
    { label: "send", enabled: options.showProgress },
  );
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === "") continue;
    const parsed = parseRecordLine(line, options.maxRecordBytes);
    if (!parsed.ok) {
      invalid += 1;
      process.stderr.write(
        `line ${lineNumber}: invalid record, ${options.onInvalid === "skip" ? "skipped" : "stopping"}: ${parsed.reason}\n`,
      );
      if (options.onInvalid === "fail") {
        stoppedAtLine = lineNumber;
        break;
      }
      continue;
    }
    const number = lineNumber;
    await producer.ready();
    producer.put(parsed.record).catch((error: Error) => {
      failed += 1;
      if (failedOut !== undefined) failedOut.write(`${parsed.failedLine(error.message)}\n`);
      else process.stderr.write(`line ${number}: not stored: ${error.message}\n`);
    });
  }
  lines.close();
  if (input !== "-") source.destroy();
  await producer.close();
  progress.stop();
  if (failedOut !== undefined)
    await new Promise<void>((resolve, reject) => failedOut.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const stats = producer.stats();
  const seconds = (Date.now() - started) / 1000;
  const exitCode = failed > 0 || stoppedAtLine !== undefined ? EXIT.failed : invalid > 0 ? EXIT.invalidSkipped : EXIT.ok;
  return {
    lines: lineNumber,
    stored: stats.sent,
    failed,
    invalid,
    bytes: stats.sentBytes,
    retries: stats.retried,
    requests: stats.requests,
    seconds,
    recordsPerSecond: seconds > 0 ? Math.round(stats.sent / seconds) : 0,
    latencyMs: stats.latencyMs,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(stoppedAtLine === undefined ? {} : { stoppedAtLine }),
    ...(options.failedPath === undefined ? {} : { failedFile: options.failedPath }),
    exitCode,
  };
}

/** The summary in one line, as printed without `--json`. */
export function describeSummary(summary: SendSummary): string {
  const parts = [
    `${summary.stored.toLocaleString("en-US")} stored`,
    `${summary.failed.toLocaleString("en-US")} not stored`,
    `${summary.invalid.toLocaleString("en-US")} invalid`,
    `${(summary.bytes / (1024 * 1024)).toFixed(2)} MiB`,
    `${summary.recordsPerSecond.toLocaleString("en-US")} records/s`,
    `${summary.retries.toLocaleString("en-US")} retries`,
    `p50/p90/p99 ${summary.latencyMs.p50}/${summary.latencyMs.p90}/${summary.latencyMs.p99} ms`,
  ];
  const notes = [
    summary.stoppedAtLine === undefined ? "" : `stopped at invalid line ${summary.stoppedAtLine}; lines after it were not sent.`,
    summary.failed > 0 && summary.failedFile !== undefined ? `records not stored are in ${summary.failedFile}.` : "",
  ].filter((note) => note !== "");
  return `send: ${parts.join(", ")} in ${summary.seconds.toFixed(1)} s.${notes.length > 0 ? ` ${notes.join(" ")}` : ""}\n`;
}
