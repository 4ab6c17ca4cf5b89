/**
 * The shard lineage an archive object records: the shards its shard was split or merged from, so that
 * `replay --from-archive` reads a child only after its parents, as a stream replay does, and a partition
 * key's records stay in order across a reshard. A Kinesis event does not name a shard's parents; ListShards
 * does (ParentShardId, AdjacentParentShardId), and the answer never changes for a shard, so it is asked once
 * per container for the stream and again only for a shard it did not list (one created since).
 */
import { listShards, type ListShardsCall } from "../../../semantics/list-shards";
import type { ErrorWithLogFields } from "../consumer/types";

/** ListShards did not answer: the batch's records fail and are retried, never archived without lineage. */
class ShardLineageError extends Error implements ErrorWithLogFields {
  readonly logFields: Readonly<Record<string, unknown>>;

  constructor(streamName: string, shardId: string, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`ListShards of stream ${streamName} did not name the parents of ${shardId} (${reason}); its records fail and are retried.`, {
      cause,
    });
    this.name = "ShardLineageError";
    this.logFields = { streamName, shardId, kinesisError: cause instanceof Error ? cause.name : String(cause) };
  }
}

/**
 * The stream name of an event's source ARN: a stream (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`) or one
 * of its enhanced fan-out consumers (`…:stream/NAME/consumer/CONSUMER:CREATED`).
 */
export function streamNameOf(streamArn: string): string {
  const name = /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/([^/]+)(?:\/consumer\/.+)?$/.exec(streamArn)?.[1];
  if (name === undefined) throw new RangeError(`Not a Kinesis stream ARN: ${JSON.stringify(streamArn)}.`);
  return name;
}

/** The parents of each shard the archiver writes, from ListShards, remembered for the container's life. */
export class ShardLineage {
  private readonly parents = new Map<string, readonly string[]>();

  constructor(private readonly listCall: ListShardsCall) {}

  /** The ids of the shards `shardId` of `streamArn`'s stream was split or merged from (none for an original shard). */
  async parentsOf(streamArn: string, shardId: string): Promise<readonly string[]> {
    const streamName = streamNameOf(streamArn);
    const key = `${streamName}/${shardId}`;
    const known = this.parents.get(key);
    if (known) return known;
    try {
      for (const shard of await listShards(this.listCall, streamName)) {
        const ids = [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => typeof id === "string" && id !== "");
        this.parents.set(`${streamName}/${shard.ShardId}`, ids);
      }
    } catch (error) {
      throw new ShardLineageError(streamName, shardId, error);
    }
    const listed = this.parents.get(key);
    if (!listed) throw new ShardLineageError(streamName, shardId, new Error("the stream's shards do not include it"));
    return listed;
  }
}
