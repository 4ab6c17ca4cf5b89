/**
 * What the console page shows, gathered in one JSON document: per consumer its figures (the consumer's own
 * summary lines, consumer-tally.ts), its event source mapping's counters, the invocations in flight and its
 * on-failure queue read from SQS; the stream's shards; the sink's refusal field and latest deliveries; the
 * names and endpoints for the AWS CLI. The page receives it by server-sent events (live-updates.ts).
 */
import type { KinesisClient, Shard } from "@aws-sdk/client-kinesis";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { EventSourceMappingStats } from "../esm";
import type { FunctionRegistry } from "../functions";
import type { LocalStatus } from "../server";
import type { Sink } from "../sink";
import { listShards, listShardsWith, isOpenShard } from "../../semantics/list-shards";
import { CLI_ENVIRONMENT, cliNames, type CliNameGroup } from "./cli-names";
import type { ConsumerFigures, ConsumerTally } from "./consumer-tally";
import { peekOnFailureRecords, queueDepth, type OnFailureQueueView } from "./on-failure-queue";
import type { RedriveControl, RedriveState } from "./redrive-control";

/** One consumer's panel. */
export interface ConsumerView {
  readonly name: string;
  /** Its `handler`: `forwarder`, `archiver`, … or the path of a user's module. */
  readonly handler: string;
  /** From the consumer's summary lines, and `dlq`: the messages its on-failure queue holds. */
  readonly figures: ConsumerFigures & { readonly dlq: number };
  /** Its mapping's counters; a `replayFrom` mapping's under `replay`. */
  readonly mapping?: EventSourceMappingStats;
  readonly replayMapping?: EventSourceMappingStats;
  /** Invocations of its function running now. */
  readonly inFlight: number;
  readonly queue: OnFailureQueueView;
  readonly redrive?: RedriveState;
}

/** A shard of the stream. */
export interface ShardView {
  readonly shardId: string;
  readonly open: boolean;
  readonly parents: readonly string[];
  readonly hashKeyRange: string;
  readonly startingSequenceNumber: string;
}

/** The page's document. */
export interface ConsoleSnapshot {
  readonly stack: string;
  readonly url: string;
  readonly streamName: string;
  readonly consumers: readonly ConsumerView[];
  readonly shards: readonly ShardView[];
  /** The local stream scaler's scalings (`stream.autoscaling` on, local/stream-scaler.ts). */
  readonly scaling?: LocalStatus["scaling"];
  readonly sink: {
    readonly url: string;
    /** The refusal field now; null while the sink accepts everything. */
    readonly refuseField: string | null;
    readonly accepted: number;
    readonly rejected: number;
    readonly requests: number;
    readonly latest: ReadonlyArray<{
      readonly order: number;
      readonly receivedAt: string;
      readonly partitionKey?: string;
      readonly shardId?: string;
      readonly sequenceNumber?: string;
      /** The delivered data's JSON text (or base64), at most 300 characters. */
      readonly data: string;
    }>;
  };
  readonly cli: { readonly environment: string; readonly groups: readonly CliNameGroup[] };
  /** Something the last refresh could not read (the page still shows the rest). */
  readonly problems: readonly string[];
}

/** What a snapshot is read from. */
export interface SnapshotSources {
  readonly status: () => LocalStatus;
  /** The stack's URL (the API, the Invoke API, the console). */
  readonly url: string;
  /** Each consumer's name and `handler`, in the stack file's order. */
  readonly consumers: ReadonlyArray<{ readonly name: string; readonly handler: string }>;
  readonly tally: ConsumerTally;
  readonly registry: FunctionRegistry;
  readonly sqs: SQSClient;
  readonly kinesis: KinesisClient;
  readonly sink: Sink;
  readonly redrive: RedriveControl;
}

/** How many sink deliveries the page lists. */
const SINK_LATEST = 10;

/** Reads the page's document; remembers each queue's latest messages while a redrive of it runs. */
export class SnapshotReader {
  /** The latest messages read per queue: shown again while a redrive runs (a read then would only see it work). */
  private readonly seen = new Map<string, OnFailureQueueView["latest"]>();

  constructor(private readonly sources: SnapshotSources) {}

  /** Reads everything the page shows; an emulator that does not answer becomes a line of `problems`. */
  async read(): Promise<ConsoleSnapshot> {
    const { sources } = this;
    const status = sources.status();
    const problems: string[] = [];
    const note = (what: string) => (error: unknown) => void problems.push(`${what}: ${(error as Error).message ?? String(error)}`);
    const [consumers, shards] = await Promise.all([
      Promise.all(sources.consumers.map((c) => this.consumerView(status, c, note))),
      listShards(listShardsWith(sources.kinesis), status.streamName).then(
        (listed) => listed.map(shardView),
        (error: unknown) => (note("listing the shards")(error), [] as ShardView[]),
      ),
    ]);
    return {
      stack: status.stack,
      url: sources.url,
      streamName: status.streamName,
      consumers,
      shards,
      ...(status.scaling ? { scaling: status.scaling } : {}),
      sink: {
        url: `${sources.url}/_local/sink`,
        refuseField: sources.sink.rejectField ?? null,
        ...sources.sink.counts(),
        latest: sources.sink.latest(SINK_LATEST).map((r) => ({
          order: r.order,
          receivedAt: r.receivedAt,
          ...(r.partitionKey === undefined ? {} : { partitionKey: r.partitionKey }),
          ...(r.shardId === undefined ? {} : { shardId: r.shardId }),
          ...(r.sequenceNumber === undefined ? {} : { sequenceNumber: r.sequenceNumber }),
          data: truncate(r.dataText ?? r.dataBase64 ?? "", 300),
        })),
      },
      cli: { environment: CLI_ENVIRONMENT, groups: cliNames(status, sources.url) },
      problems,
    };
  }

  private async consumerView(
    status: LocalStatus,
    consumer: { readonly name: string; readonly handler: string },
    note: (what: string) => (error: unknown) => void,
  ): Promise<ConsumerView> {
    const { sources } = this;
    const url = status.queues[consumer.name] ?? "";
    const depth = await queueDepth(sources.sqs, url).catch((error: unknown) => (note(`${consumer.name}'s on-failure queue`)(error), 0));
    let latest = this.seen.get(consumer.name) ?? [];
    if (depth === 0) latest = [];
    else if (!sources.redrive.running(consumer.name)) {
      latest = await peekOnFailureRecords(sources.sqs, url).catch(
        (error: unknown) => (note(`reading ${consumer.name}'s on-failure queue`)(error), latest),
      );
    }
    this.seen.set(consumer.name, latest);
    const redrive = sources.redrive.stateOf(consumer.name);
    const mapping = status.consumers[consumer.name];
    const replayMapping = status.consumers[`${consumer.name}:replay`];
    return {
      name: consumer.name,
      handler: consumer.handler,
      figures: { ...sources.tally.of(consumer.name), dlq: depth },
      ...(mapping ? { mapping } : {}),
      ...(replayMapping ? { replayMapping } : {}),
      inFlight: sources.registry.find(consumer.name)?.invocationsInFlight ?? 0,
      queue: { url, depth, latest },
      ...(redrive ? { redrive } : {}),
    };
  }
}

function shardView(shard: Shard): ShardView {
  const range = shard.HashKeyRange;
  return {
    shardId: shard.ShardId ?? "",
    open: isOpenShard(shard),
    parents: [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => typeof p === "string"),
    hashKeyRange: range ? `${range.StartingHashKey}–${range.EndingHashKey}` : "",
    startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber ?? "",
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
