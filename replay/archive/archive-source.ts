/**
 * The S3 archive as a replay source (`replay --from-archive`): lists the range's hour prefixes, groups the
 * objects by shard, reads each shard's parents from its objects' metadata (a child is read after them), and
 * reads each shard's objects back in sequence order (overlapping objects merged, a
 * record in two objects once), keeping the records that arrived in [from, to). Each object is read whole
 * once before its records are delivered, so a truncated or malformed object delivers nothing: the replay
 * stops with its key and line, or, with `skipBadObjects`, reports it and goes on without it.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { ArchivedRecord } from "../../handlers/lib/archive/format";
import { BadArchiveObjectsError } from "../errors";
import type { ShardPage } from "../shard-reader";
import type { ReplaySource, SourceShard } from "../source";
import { runInShardOrder } from "../shard-graph";
import { describeStart } from "../start-plan";
import type { StreamRecord } from "../types";
import { kinesisRecordOf } from "./kinesis-records";
import { archivedShards } from "./lineage";
import { listArchiveObjects } from "./listing";
import { describeArchive, type ArchiveLocation } from "./location";
import { mergeAscending, overlappingGroups, type NamedArchiveObject } from "./merge";
import { checkArchiveObject, type ObjectRecord } from "./object-reader";

/** What reading an archive needs. */
export interface ArchiveSourceOptions {
  readonly s3: S3Client;
  readonly location: ArchiveLocation;
  /** First arrival time replayed (inclusive). */
  readonly from: Date;
  /** Report and skip unreadable objects instead of stopping. @default false */
  readonly skipBadObjects?: boolean;
  /** Kinesis records per page handed to the replay. @default 500 */
  readonly pageSize?: number;
  /** For the bucket errors, e.g. `in region us-east-1 at http://127.0.0.1:4566`. */
  readonly where?: string;
}

/** An archive source; `skipped` lists the objects left out (key, line, problem), filled as the replay runs. */
export interface ArchiveSource extends ReplaySource {
  readonly skipped: string[];
}

/** Opens the archive for a replay of [from, until). */
export function archiveSource(options: ArchiveSourceOptions): ArchiveSource {
  const skipped: string[] = [];
  return {
    name: describeArchive(options.location),
    from: describeStart({ kind: "time", at: options.from }),
    startTime: options.from,
    skipped,
    async open(until) {
      const where = options.where ?? "in the configured region and endpoint";
      const objects = await listArchiveObjects(options.s3, options.location, options.from, until, where);
      const byShard = new Map<string, NamedArchiveObject[]>();
      for (const object of objects) {
        if (object.range === undefined) {
          const checked = await checkArchiveObject(options.s3, options.location.bucket, object);
          if ("problem" in checked) reportBad(options, skipped, checked.problem);
          continue;
        }
        const shard = byShard.get(object.range.shardId) ?? [];
        shard.push(object as NamedArchiveObject);
        byShard.set(object.range.shardId, shard);
      }
      const shards: SourceShard[] = [...byShard.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([shardId, shardObjects]) => ({
          shardId,
          pages: (resumeAfter) => shardPages(options, skipped, shardObjects, until, resumeAfter),
        }));
      const lineage = await archivedShards(options.s3, options.location.bucket, byShard);
      const byId = new Map(shards.map((shard) => [shard.shardId, shard]));
      return {
        shards,
        // A child shard after its parents (when the archive holds them in the range), the others at once.
        runInOrder: (visit) => runInShardOrder(lineage, (shard) => visit(byId.get(shard.shardId)!)),
      };
    },
  };
}

function reportBad(options: ArchiveSourceOptions, skipped: string[], problem: string): void {
  if (!options.skipBadObjects) throw new BadArchiveObjectsError([problem]);
  skipped.push(problem);
}

async function* shardPages(
  options: ArchiveSourceOptions,
  skipped: string[],
  objects: readonly NamedArchiveObject[],
  until: Date,
  resumeAfter: string | undefined,
): AsyncGenerator<ShardPage> {
  const pageSize = options.pageSize ?? 500;
  const after = resumeAfter === undefined ? undefined : BigInt(resumeAfter);
  let page: StreamRecord[] = [];
  let users: ArchivedRecord[] = [];
  for await (const item of shardRecords(options, skipped, objects)) {
    if ("nextSequenceNumber" in item) {
      // Deliver (and checkpoint) what precedes the next group before it is checked: a bad object there
      // then stops the replay after everything before it, and a rerun resumes right at it. An aggregate
      // the next group continues stays pending.
      if (users[0] !== undefined && BigInt(users[0].sequenceNumber) !== item.nextSequenceNumber) {
        page.push(kinesisRecordOf(users));
        users = [];
      }
      if (page.length > 0) yield { records: page, millisBehindLatest: 0, last: false };
      page = [];
      continue;
    }
    const { record, position } = item;
    if (record.arrivalTime < options.from.getTime() || record.arrivalTime >= until.getTime()) continue;
    if (after !== undefined && position.sequenceNumber <= after) continue;
    if (users[0] !== undefined && users[0].sequenceNumber !== record.sequenceNumber) {
      page.push(kinesisRecordOf(users));
      users = [];
      if (page.length === pageSize) {
        yield { records: page, millisBehindLatest: 0, last: false };
        page = [];
      }
    }
    users.push(record);
  }
  if (users.length > 0) page.push(kinesisRecordOf(users));
  yield { records: page, millisBehindLatest: 0, last: true };
}

/** The end of one group of overlapping objects in {@link shardRecords}, and where the next one starts. */
interface GroupEnd {
  readonly nextSequenceNumber: bigint | undefined;
}

/** The shard's records in sequence order: each group of overlapping objects checked, then merged. */
async function* shardRecords(
  options: ArchiveSourceOptions,
  skipped: string[],
  objects: readonly NamedArchiveObject[],
): AsyncGenerator<ObjectRecord | GroupEnd> {
  const { s3, location } = options;
  const groups = overlappingGroups(objects);
  for (const [index, group] of groups.entries()) {
    const sound: Array<AsyncGenerator<ObjectRecord>> = [];
    for (const object of group) {
      const checked = await checkArchiveObject(s3, location.bucket, object);
      if ("problem" in checked) reportBad(options, skipped, checked.problem);
      else sound.push(checked.records());
    }
    yield* mergeAscending(sound);
    yield { nextSequenceNumber: groups[index + 1]?.[0]?.range.first.sequenceNumber };
  }
}
