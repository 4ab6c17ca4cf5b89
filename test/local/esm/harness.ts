/**
 * What the engine's tests share: real emulators (kinesalite, fauxqs) on 127.0.0.1, a fresh stream and queue
 * per test, a scripted function that records every invocation, and a proxy that makes GetRecords fail on cue.
 */
import { createServer, request, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { KinesisStreamEvent } from "aws-lambda";
import {
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  localKinesisClient,
  localSqsClient,
  startKinesalite,
  startSqs,
  type RunningEmulator,
} from "../../../local/emulators";
import { EventSourceMapping, type EventSourceMappingOptions, type InvokeResult, type MappingSettings } from "../../../local/esm";
import type { KinesisOnFailureRecord } from "../../../semantics/on-failure-record";

export const FUNCTION_ARN = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:esm-test`;

export interface Emulators {
  readonly kinesis: KinesisClient;
  readonly sqs: SQSClient;
  readonly kinesisEndpoint: string;
  stop(): Promise<void>;
}

export async function startEmulators(): Promise<Emulators> {
  const kinesalite: RunningEmulator = await startKinesalite();
  const fauxqs: RunningEmulator = await startSqs();
  const kinesis = localKinesisClient(kinesalite.endpoint);
  const sqs = localSqsClient(fauxqs.endpoint);
  return {
    kinesis,
    sqs,
    kinesisEndpoint: kinesalite.endpoint,
    async stop() {
      kinesis.destroy();
      sqs.destroy();
      await Promise.all([kinesalite.stop(), fauxqs.stop()]);
    },
  };
}

let streams = 0;

/** A new ACTIVE stream and a new queue for one test. */
export async function createStreamAndQueue(
  env: Emulators,
  shardCount = 1,
): Promise<{ streamName: string; streamArn: string; queueUrl: string }> {
  const streamName = `esm-test-${process.pid}-${++streams}`;
  await env.kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  await waitForActive(env.kinesis, streamName);
  const { QueueUrl } = await env.sqs.send(new CreateQueueCommand({ QueueName: `${streamName}-dlq` }));
  if (!QueueUrl) throw new Error("CreateQueue returned no QueueUrl");
  return { streamName, streamArn: `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stream/${streamName}`, queueUrl: QueueUrl };
}

export async function waitForActive(kinesis: KinesisClient, streamName: string): Promise<void> {
  await waitFor(async () => {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return StreamDescriptionSummary?.StreamStatus === "ACTIVE";
  }, `stream ${streamName} to be ACTIVE`);
}

/** Writes records in order (PutRecords keeps the order of a request's entries per shard); returns their sequence numbers. */
export async function putRecords(
  env: Emulators,
  streamName: string,
  records: ReadonlyArray<{ key: string; data: unknown }>,
): Promise<string[]> {
  const sequenceNumbers: string[] = [];
  const chunks: Array<Array<{ key: string; data: unknown }>> = [[]];
  let bytes = 0;
  for (const record of records) {
    const size = JSON.stringify(record.data).length + record.key.length;
    // PutRecords takes at most 500 entries and 5 MiB a request.
    if ((chunks[chunks.length - 1]?.length ?? 0) >= 500 || bytes + size > 4_000_000) {
      chunks.push([]);
      bytes = 0;
    }
    chunks[chunks.length - 1]?.push(record);
    bytes += size;
  }
  for (const chunk of chunks.filter((c) => c.length > 0)) {
    const result = await env.kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: chunk.map((r) => ({
          PartitionKey: r.key,
          Data: Buffer.from(typeof r.data === "string" ? r.data : JSON.stringify(r.data)),
        })),
      }),
    );
    if (result.FailedRecordCount) throw new Error(`PutRecords failed ${result.FailedRecordCount} entries`);
    for (const entry of result.Records ?? []) sequenceNumbers.push(entry.SequenceNumber ?? "");
  }
  return sequenceNumbers;
}

/** One recorded invocation. */
export interface Call {
  readonly event: KinesisStreamEvent;
  readonly requestId: string;
  readonly at: number;
  /** The decoded `data` of each record, in order. */
  readonly data: string[];
  readonly sequenceNumbers: string[];
}

/** A function whose answers a test scripts; it records every invocation. */
export class ScriptedFunction {
  readonly calls: Call[] = [];

  constructor(private readonly behaviour: (call: Call, index: number) => InvokeResult | Promise<InvokeResult> = () => ({})) {}

  readonly invoke = async (event: KinesisStreamEvent, context: { requestId: string }): Promise<InvokeResult> => {
    const call: Call = {
      event,
      requestId: context.requestId,
      at: Date.now(),
      data: event.Records.map((r) => Buffer.from(r.kinesis.data, "base64").toString()),
      sequenceNumbers: event.Records.map((r) => r.kinesis.sequenceNumber),
    };
    this.calls.push(call);
    return this.behaviour(call, this.calls.length - 1);
  };

  /** Every delivered record's data, in delivery order. */
  delivered(): string[] {
    return this.calls.flatMap((call) => call.data);
  }
}

/** Settings for tests: TRIM_HORIZON, no limits; override what the test is about. */
export function settings(overrides: Partial<MappingSettings> = {}): MappingSettings {
  return {
    batchSize: 100,
    batchWindowSeconds: 0,
    startingPosition: "TRIM_HORIZON",
    parallelizationFactor: 1,
    bisectOnError: false,
    maxRecordAgeSeconds: -1,
    maxRetryAttempts: -1,
    enabled: true,
    ...overrides,
  };
}

/** A mapping with fast test timings. */
export function newMapping(
  env: Emulators,
  stream: { streamName: string; streamArn: string; queueUrl: string },
  fn: ScriptedFunction,
  consumer: MappingSettings,
  extra: Partial<EventSourceMappingOptions> = {},
): EventSourceMapping {
  return new EventSourceMapping({
    kinesis: env.kinesis,
    sqs: env.sqs,
    streamName: stream.streamName,
    streamArn: stream.streamArn,
    consumer,
    functionArn: FUNCTION_ARN,
    dlqUrl: stream.queueUrl,
    invoke: fn.invoke,
    pollIntervalMs: 20,
    shardDiscoveryIntervalMs: 50,
    retryBaseDelayMs: 1,
    ...extra,
  });
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Waits until the mapping has found its shard caught up `count` more times than now (`stats().idlePolls`
 * counts reads that found no new record and no batch in flight). Two more mean it has read, and finished with,
 * everything the stream held when this was called: a delivery still to come would already have happened.
 * Call it once what the test waited for has been seen. The count is over all shards: use one-shard streams.
 */
export async function waitForIdlePolls(mapping: EventSourceMapping, count = 2, timeoutMs = 10_000): Promise<void> {
  const from = mapping.stats().idlePolls;
  await waitFor(() => mapping.stats().idlePolls >= from + count, `${count} more idle polls of the mapping (from ${from})`, timeoutMs);
}

/**
 * Runs a witness beside a paused (disabled or stopped) mapping under test: an enabled mapping of the same
 * one-shard stream, from TRIM_HORIZON, with a function of its own. Waits until it has delivered `count`
 * records and read past them ({@link waitForIdlePolls}), stops it, and returns what it delivered: by then a
 * running mapping would have delivered them too. Unlike Lambda (one mapping per function and stream) the
 * engine takes two mappings of a stream; the witness gets no on-failure destination, so the stream's queue
 * holds only what the mapping under test sends.
 */
export async function witnessReadPast(
  env: Emulators,
  stream: { streamName: string; streamArn: string; queueUrl: string },
  count: number,
): Promise<string[]> {
  const fn = new ScriptedFunction();
  const witness = newMapping(env, stream, fn, settings(), { dlqUrl: undefined });
  witness.start();
  try {
    await waitFor(() => fn.delivered().length >= count, `the witness mapping to deliver ${count} record(s)`);
    await waitForIdlePolls(witness);
    return fn.delivered();
  } finally {
    await witness.stop();
  }
}

/** Receives (and deletes) on-failure records until `count` have arrived. */
export async function receiveOnFailureRecords(env: Emulators, queueUrl: string, count: number): Promise<KinesisOnFailureRecord[]> {
  const received: KinesisOnFailureRecord[] = [];
  await waitFor(async () => {
    const { Messages } = await env.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    for (const message of Messages ?? []) {
      received.push(JSON.parse(message.Body ?? "") as KinesisOnFailureRecord);
      await env.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    return received.length >= count;
  }, `${count} on-failure record(s)`);
  return received;
}

/**
 * An HTTP proxy in front of kinesalite that answers GetRecords with the queued Kinesis errors, one per call
 * (kinesalite neither throttles nor expires iterators on demand), and forwards everything else.
 */
export async function startFaultyKinesisProxy(
  targetEndpoint: string,
): Promise<{ endpoint: string; faults: string[]; stop(): Promise<void> }> {
  const target = new URL(targetEndpoint);
  const faults: string[] = [];
  const server: Server = createServer((req, res) => {
    const fault = req.headers["x-amz-target"] === "Kinesis_20131202.GetRecords" ? faults.shift() : undefined;
    if (fault) {
      req.resume();
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ __type: fault, message: `${fault} injected by the test proxy` }));
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
