/**
 * Test support for the replay suites: a Lambda-Invoke-compatible server whose function behaviour each
 * test programs, and stream fixtures written with per-key counters so order and completeness can be checked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { KinesisStreamEvent } from "aws-lambda";
import type { KinesisOnFailureRecord } from "../../semantics/on-failure-record";

/** What the fake function returns: a payload, or a function error (`X-Amz-Function-Error: Unhandled`). */
export type FunctionReply = { readonly payload: unknown } | { readonly functionError: string };

/** A running Invoke endpoint (`POST /2015-03-31/functions/{name}/invocations`). */
export interface TestFunctionServer {
  readonly endpoint: string;
  /** Every event received, per function name, in arrival order. */
  readonly invocations: Map<string, KinesisStreamEvent[]>;
  stop(): Promise<void>;
}

/** Starts the server; `behaviour` decides each invocation's reply. Unknown names get 404 like Lambda. */
export async function startTestFunctions(
  behaviour: (name: string, event: KinesisStreamEvent) => FunctionReply | undefined | Promise<FunctionReply | undefined>,
): Promise<TestFunctionServer> {
  const invocations = new Map<string, KinesisStreamEvent[]>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
      const name = match ? decodeURIComponent(match[1]!) : "";
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as KinesisStreamEvent;
      const reply = req.method === "POST" && match ? await behaviour(name, event) : undefined;
      if (!reply) {
        res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
        res.end(JSON.stringify({ Type: "User", message: `Function not found: ${name}` }));
        return;
      }
      invocations.set(name, [...(invocations.get(name) ?? []), event]);
      const headers: Record<string, string> = { "content-type": "application/json", "x-amz-executed-version": "$LATEST" };
      if ("functionError" in reply) headers["x-amz-function-error"] = reply.functionError;
      res.writeHead(200, headers);
      res.end(JSON.stringify("functionError" in reply ? { errorMessage: "boom", errorType: "Error" } : reply.payload));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Creates a stream and waits until it is ACTIVE. */
export async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitActive(client, name);
}

/** Waits until the stream is ACTIVE again (after create or resharding). */
export async function waitActive(client: KinesisClient, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (summary.StreamDescriptionSummary?.StreamStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`stream ${name} did not become ACTIVE`);
}

/** One record a fixture wrote: data `{"key","n"}` with `n` counting up per key. */
export interface WrittenRecord {
  readonly key: string;
  readonly n: number;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** Writes `perKey` records for each key, interleaved, continuing each key's counter from `startAt`. */
export async function putKeyed(
  client: KinesisClient,
  stream: string,
  keys: readonly string[],
  perKey: number,
  startAt = 0,
  extra: (key: string, n: number) => Record<string, unknown> = () => ({}),
): Promise<WrittenRecord[]> {
  const entries: { key: string; n: number }[] = [];
  for (let n = startAt; n < startAt + perKey; n++) for (const key of keys) entries.push({ key, n });
  const written: WrittenRecord[] = [];
  for (let i = 0; i < entries.length; i += 250) {
    const chunk = entries.slice(i, i + 250);
    const response = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: chunk.map((e) => ({
          PartitionKey: e.key,
          Data: Buffer.from(JSON.stringify({ key: e.key, n: e.n, ...extra(e.key, e.n) })),
        })),
      }),
    );
    if (response.FailedRecordCount) throw new Error(`fixture write failed: ${JSON.stringify(response.Records)}`);
    (response.Records ?? []).forEach((r, j) =>
      written.push({ ...chunk[j]!, shardId: r.ShardId ?? "", sequenceNumber: r.SequenceNumber ?? "" }),
    );
  }
  return written;
}

/** Checks each key's counters appear as startAt, startAt+1, … with no gap and no repeat; returns counts per key. */
export function perKeySequences(lines: readonly { data?: unknown }[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const line of lines) {
    const { key, n } = line.data as { key: string; n: number };
    byKey.set(key, [...(byKey.get(key) ?? []), n]);
  }
  return byKey;
}

/** An on-failure record as Lambda sends it for a range it gave up on (docs/aws-semantics.md#on-failure-destinations). */
export function lambdaOnFailureRecord(streamArn: string, shardId: string, start: string, end: string, batchSize: number): string {
  const record: KinesisOnFailureRecord = {
    requestContext: {
      requestId: "r-1",
      functionArn: `arn:aws:lambda:us-east-1:${streamArn.split(":")[4]}:function:consumer`,
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    version: "1.0",
    timestamp: "2024-05-01T00:00:00.000Z",
    KinesisBatchInfo: {
      shardId,
      startSequenceNumber: start,
      endSequenceNumber: end,
      approximateArrivalOfFirstRecord: "2024-05-01T00:00:00.000Z",
      approximateArrivalOfLastRecord: "2024-05-01T00:00:00.000Z",
      batchSize,
      streamArn,
    },
  };
  return JSON.stringify(record);
}
