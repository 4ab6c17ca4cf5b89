/**
 * The shard lineage of an archive, read back: each shard's parents as its objects' metadata records them
 * (`parent-shards`, written by the archiver from ListShards), so that `replay --from-archive` reads a child
 * only after its parents, as a stream replay does (`runInShardOrder`). One HeadObject per shard: every object
 * of a shard records the same parents.
 */
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { PARENT_SHARDS_METADATA, parseParentShards } from "../../handlers/lib/archive/format";
import type { ShardInfo } from "../types";
import type { NamedArchiveObject } from "./merge";

/**
 * Each shard and its parents, from the metadata of its first listed object. A shard whose objects were
 * written before the archive kept lineage has no parents recorded, and is read without waiting.
 */
export async function archivedShards(
  s3: S3Client,
  bucket: string,
  byShard: ReadonlyMap<string, readonly NamedArchiveObject[]>,
): Promise<ShardInfo[]> {
  return Promise.all(
    [...byShard.entries()].map(async ([shardId, objects]) => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: objects[0]!.key }));
      // The SDK hands user metadata back with lower-case names and without the x-amz-meta- prefix.
      const parents = parseParentShards(head.Metadata?.[PARENT_SHARDS_METADATA]);
      const [parentShardId, adjacentParentShardId] = parents ?? [];
      return {
        shardId,
        startingSequenceNumber: objects[0]!.range.first.sequenceNumber.toString(),
        ...(parentShardId === undefined ? {} : { parentShardId }),
        ...(adjacentParentShardId === undefined ? {} : { adjacentParentShardId }),
      };
    }),
  );
}
