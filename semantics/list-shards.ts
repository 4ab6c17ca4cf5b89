/**
 * One ListShards pager (docs/aws-semantics.md#partition-keys-and-shards; Kinesis API reference,
 * "ListShards"): the first page is asked for by `StreamName`, every later one by `NextToken` alone, since
 * the API rejects a request that names both.
 */
import { ListShardsCommand, type KinesisClient, type Shard } from "@aws-sdk/client-kinesis";

/** A shard as ListShards describes it: the SDK's `Shard` and the raw JSON answer both fit. */
interface ListedShard {
  readonly ShardId?: string;
  readonly ParentShardId?: string;
  readonly AdjacentParentShardId?: string;
  readonly HashKeyRange?: { readonly StartingHashKey?: string; readonly EndingHashKey?: string };
  readonly SequenceNumberRange?: { readonly StartingSequenceNumber?: string; readonly EndingSequenceNumber?: string | null };
}

/** One ListShards page. */
export interface ListShardsPage<S extends ListedShard = ListedShard> {
  readonly Shards?: readonly S[];
  readonly NextToken?: string | null;
}

/** Calls ListShards once: `{ StreamName }` for the first page, `{ NextToken }` for the next ones. */
export type ListShardsCall<S extends ListedShard = ListedShard> = (
  request: { StreamName: string } | { NextToken: string },
) => Promise<ListShardsPage<S>>;

/** A {@link ListShardsCall} over an SDK client. */
export function listShardsWith(client: KinesisClient): ListShardsCall<Shard> {
  return (request) => client.send(new ListShardsCommand(request));
}

/**
 * Every shard of the stream ListShards reports (open and closed ones still within retention), all pages.
 *
 * @example
 * const shards = await listShards(listShardsWith(kinesis), "orders");
 */
export async function listShards<S extends ListedShard>(call: ListShardsCall<S>, streamName: string): Promise<S[]> {
  const shards: S[] = [];
  let page = await call({ StreamName: streamName });
  for (;;) {
    shards.push(...(page.Shards ?? []));
    if (!page.NextToken) return shards;
    page = await call({ NextToken: page.NextToken });
  }
}

/**
 * True for a shard still open for writes: a split or merge closes a shard by giving it an ending sequence
 * number. kinesis-local writes an open shard's ending as null, kinesalite leaves it out: both mean open.
 */
export function isOpenShard(shard: ListedShard): boolean {
  return shard.SequenceNumberRange?.EndingSequenceNumber == null;
}
