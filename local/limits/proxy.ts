/**
 * The Kinesis limits layer: an HTTP proxy in front of a Kinesis emulator (JSON protocol, the action in
 * `X-Amz-Target`) that enforces each shard's documented throughput, which neither emulator does.
 * - PutRecords: entries over the shard's budget fail individually with ProvisionedThroughputExceededException
 *   (the others are written), exactly as Kinesis answers;
 * - PutRecord over budget, and GetRecords over 5 calls/s or 2 MiB/s: 400 ProvisionedThroughputExceededException;
 * - a record above the stream's maximum record size (`maxRecordSizeKiB`): the whole call fails with a 400
 *   ValidationException naming the limit; a raised limit also lets a shard burst to take one such record;
 * - everything else passes through; SplitShard, MergeShards and UpdateShardCount refresh the shard map.
 * What it saw written and refused goes to `onWrite`, the local stand-in for the stream's CloudWatch metrics.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { KinesisUpstream, type UpstreamResponse } from "./upstream";
import type { ListShardsPage } from "../../semantics/list-shards";
import { ShardDirectory } from "./shard-directory";
import { KINESIS_SHARD_LIMITS, ShardThroughputRegistry, type ShardLimits } from "./shard-throughput";
import { systemClock, type Clock } from "./token-bucket";
import { RECORD_SIZE_KIB } from "../../semantics/large-records";
import { IteratorShards } from "./iterator-shards";
import { countWrites, putResults, writeBytes, type WriteObserver } from "./write-meter";
import {
  ACCOUNT,
  errorResponse,
  INVALID,
  isPutEntry,
  jsonResponse,
  parseJson,
  reply,
  streamNameOf,
  THROTTLED,
  throttledEntry,
  type PutRecordsEntry,
  type PutRecordsInput,
  type StreamRef,
} from "./wire";

const RESHARDING_ACTIONS = new Set(["SplitShard", "MergeShards", "UpdateShardCount"]);

/** Options of {@link startLimitsProxy}. */
export interface LimitsProxyOptions {
  /** The emulator's endpoint, e.g. `http://127.0.0.1:4567`. */
  readonly target: string;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** @default KINESIS_SHARD_LIMITS */
  readonly limits?: ShardLimits;
  /** @default Date.now */
  readonly clock?: Clock;
  /** The stream's maximum record size, KiB (`stream.maxRecordSizeKiB`). @default 1024 */
  readonly maxRecordSizeKiB?: number;
  /** Told of every PutRecords and PutRecord answered: what was stored and what was throttled. */
  readonly onWrite?: WriteObserver;
}

/** What the proxy refused so far. */
export interface LimitsProxyStats {
  readonly throttledWriteRecords: number;
  readonly throttledReadCalls: number;
}

/** A running limits proxy: point Kinesis clients at `endpoint` instead of the emulator's. */
export interface RunningLimitsProxy {
  readonly endpoint: string;
  readonly port: number;
  stats(): LimitsProxyStats;
  stop(): Promise<void>;
}

interface Request {
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

/**
 * Starts the limits proxy on 127.0.0.1.
 * @example
 * const kinesis = await startKinesalite();
 * const proxy = await startLimitsProxy({ target: kinesis.endpoint });
 * const client = localKinesisClient(proxy.endpoint); // throttled like a real stream
 */
export async function startLimitsProxy(options: LimitsProxyOptions): Promise<RunningLimitsProxy> {
  const clock = options.clock ?? systemClock;
  const upstream = new KinesisUpstream(options.target);
  const shards = new ShardDirectory((req) => upstream.call<ListShardsPage>("ListShards", req), 2000, clock);
  const maxRecordBytes = (options.maxRecordSizeKiB ?? RECORD_SIZE_KIB.default) * 1024;
  const limits = options.limits ?? KINESIS_SHARD_LIMITS;
  const budgets = new ShardThroughputRegistry({ ...limits, writeBurstBytes: Math.max(limits.writeBurstBytes ?? 0, maxRecordBytes) }, clock);
  const iterators = new IteratorShards();
  const stats = { throttledWriteRecords: 0, throttledReadCalls: 0 };

  /** Tells `onWrite` what a call stored; the upstream's answer is parsed only when there is an observer. */
  const observe = (stream: string, sizes: readonly number[], results: () => readonly unknown[], throttled: number) =>
    options.onWrite?.(stream, countWrites(sizes, results(), throttled));

  /** Kinesis refuses the whole call when one record (of `sizes`, its entries' write bytes) is larger than the stream allows. */
  function oversize(sizes: readonly number[]): UpstreamResponse | undefined {
    const index = sizes.findIndex((size) => size > maxRecordBytes);
    if (index < 0) return undefined;
    const message =
      `Record ${index} is ${sizes[index]} bytes (data plus partition key); ` +
      `the stream's maximum record size is ${maxRecordBytes} bytes (${maxRecordBytes / 1024} KiB).`;
    return errorResponse(INVALID, message);
  }

  async function putRecords(req: Request, input: PutRecordsInput): Promise<UpstreamResponse> {
    const sizes = input.Records.map(writeBytes);
    const refusal = oversize(sizes);
    if (refusal) return refusal;
    const stream = streamNameOf(input);
    const map = await shards.mapOf(stream).catch(() => undefined);
    if (!map) return upstream.send(req.headers, req.body); // let the emulator name the problem
    const admitted: PutRecordsEntry[] = [];
    const verdicts = input.Records.map((entry, i) => {
      const shardId = map.shardOfEntry(entry.PartitionKey, entry.ExplicitHashKey);
      const ok = shardId === undefined || budgets.of(stream, shardId).tryWrite(sizes[i]!);
      if (ok) admitted.push(entry);
      return ok ? undefined : throttledEntry(stream, shardId ?? "");
    });
    const refused = verdicts.filter((v) => v !== undefined).length;
    stats.throttledWriteRecords += refused;
    if (refused === 0) {
      const response = await upstream.send(req.headers, req.body);
      observe(stream, sizes, () => (response.status === 200 ? putResults(response.body) : []), 0);
      return response;
    }
    let written: Array<Record<string, unknown>> = [];
    let failedUpstream = 0;
    if (admitted.length > 0) {
      const response = await upstream.send(req.headers, Buffer.from(JSON.stringify({ ...input, Records: admitted })));
      if (response.status !== 200) return response;
      const body = JSON.parse(response.body.toString("utf8")) as { FailedRecordCount?: number; Records: typeof written };
      written = body.Records;
      failedUpstream = body.FailedRecordCount ?? 0;
    }
    let next = 0;
    const records = verdicts.map((v) => v ?? written[next++]);
    observe(stream, sizes, () => records, refused);
    return jsonResponse(200, { FailedRecordCount: refused + failedUpstream, Records: records });
  }

  async function putRecord(req: Request, input: PutRecordsEntry & StreamRef): Promise<UpstreamResponse> {
    const size = writeBytes(input);
    const refusal = oversize([size]);
    if (refusal) return refusal;
    const stream = streamNameOf(input);
    const map = await shards.mapOf(stream).catch(() => undefined);
    const shardId = map?.shardOfEntry(input.PartitionKey, input.ExplicitHashKey);
    if (shardId !== undefined && !budgets.of(stream, shardId).tryWrite(size)) {
      stats.throttledWriteRecords++;
      options.onWrite?.(stream, { bytes: 0, records: 0, throttled: 1 });
      return errorResponse(THROTTLED, `Rate exceeded for shard ${shardId} in stream ${stream} under account ${ACCOUNT}.`);
    }
    const response = await upstream.send(req.headers, req.body);
    observe(stream, [size], () => (response.status === 200 ? [parseJson(response.body)] : []), 0);
    return response;
  }

  async function getShardIterator(req: Request, input: StreamRef & { ShardId: string }): Promise<UpstreamResponse> {
    const response = await upstream.send(req.headers, req.body);
    if (response.status === 200) {
      const { ShardIterator } = JSON.parse(response.body.toString("utf8")) as { ShardIterator?: string };
      if (ShardIterator) iterators.remember(ShardIterator, { stream: streamNameOf(input), shardId: input.ShardId });
    }
    return response;
  }

  async function getRecords(req: Request, input: { ShardIterator: string }): Promise<UpstreamResponse> {
    const shard = iterators.shardOf(input.ShardIterator);
    const budget = shard && budgets.of(shard.stream, shard.shardId);
    if (budget && !budget.tryRead()) {
      stats.throttledReadCalls++;
      return errorResponse(THROTTLED, `Rate exceeded for Shard - ${shard.shardId} in stream ${shard.stream} under account ${ACCOUNT}.`);
    }
    const response = await upstream.send(req.headers, req.body);
    if (response.status === 200 && shard && budget) {
      const body = JSON.parse(response.body.toString("utf8")) as { Records?: Array<{ Data: string }>; NextShardIterator?: string };
      budget.chargeRead((body.Records ?? []).reduce((sum, r) => sum + Buffer.byteLength(r.Data, "base64"), 0));
      if (body.NextShardIterator) iterators.remember(body.NextShardIterator, shard);
    }
    return response;
  }

  async function route(req: Request): Promise<UpstreamResponse> {
    const action = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const input = parseJson(req.body);
    if (input === undefined) return upstream.send(req.headers, req.body);
    if (action === "PutRecords" && Array.isArray(input.Records) && input.Records.every(isPutEntry)) {
      return putRecords(req, input as unknown as PutRecordsInput);
    }
    if (action === "PutRecord" && isPutEntry(input)) return putRecord(req, input as unknown as PutRecordsEntry & StreamRef);
    if (action === "GetShardIterator" && typeof input.ShardId === "string")
      return getShardIterator(req, input as unknown as StreamRef & { ShardId: string });
    if (action === "GetRecords" && typeof input.ShardIterator === "string") return getRecords(req, input as { ShardIterator: string });
    const response = await upstream.send(req.headers, req.body);
    if (RESHARDING_ACTIONS.has(action)) shards.invalidate(streamNameOf(input));
    return response;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      route({ headers: req.headers, body: Buffer.concat(chunks) })
        .then((answer) => reply(res, answer))
        .catch((error: Error) => reply(res, jsonResponse(502, { __type: "InternalFailure", message: `limits proxy: ${error.message}` })));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({ ...stats }),
    stop: async () => {
      upstream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
