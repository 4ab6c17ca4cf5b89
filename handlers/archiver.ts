/**
 * The archive consumer: writes each batch's user records (KPL aggregates unpacked) to S3, one NDJSON object
 * per shard and arrival hour, so that records can be replayed long after the stream has dropped them
 * (`replay --from-archive`). Layout and line format: `handlers/lib/archive/format.ts`.
 *
 * Environment: lib/environment/archiver.ts, and the consumer runtime's (lib/environment/consumer.ts).
 */
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { MAX_INVOKE_PAYLOAD_BYTES } from "../semantics/limits";
import { listShardsWith } from "../semantics/list-shards";
import { differentArrivalHours, type ArchiveCompression } from "./lib/archive/format";
import { ShardLineage } from "./lib/archive/lineage";
import { writeArchiveObject } from "./lib/archive/writer";
import { createBatchedConsumer, type ConsumerOptions, type KinesisConsumerHandler } from "./lib/consumer";
import { archiverOptionsFromEnv } from "./lib/environment/archiver";

/** Options of {@link createArchiverHandler}. */
export interface ArchiverOptions {
  readonly bucket: string;
  /** What every key starts with; ends with `/`. */
  readonly prefix: string;
  /** @default "gzip" */
  readonly compression?: ArchiveCompression;
  /** @default a client from the environment (region, credentials, `AWS_ENDPOINT_URL_S3`) */
  readonly s3?: S3Client;
  /** For ListShards, the shards' parents. @default a client from the environment (`AWS_ENDPOINT_URL_KINESIS`) */
  readonly kinesis?: KinesisClient;
  /** Consumer runtime options (concurrency, log sink, idempotency, …). */
  readonly consumer?: ConsumerOptions;
}

/**
 * A batch never needs two objects of one hour: its payload is at most 6 MB of base64 (so less raw data than
 * that), and every user record, aggregated or not, takes at least one byte of it
 * (docs/aws-semantics.md#lambda-limits-and-environment).
 */
const ONE_OBJECT_PER_HOUR = { maxRecords: MAX_INVOKE_PAYLOAD_BYTES, maxBytes: MAX_INVOKE_PAYLOAD_BYTES } as const;

/**
 * Builds an archiver Lambda handler: the batch's records not archived before are cut at every change of
 * arrival hour, and each part is put as one object (see `writeArchiveObject`) naming its shard's parents
 * (`ShardLineage`). An object that S3 did not store (access denied, no such bucket, unreachable), or whose
 * lineage ListShards did not give, fails its records, which the mapping retries; they are never
 * acknowledged as archived.
 */
export function createArchiverHandler(options: ArchiverOptions): KinesisConsumerHandler {
  if (!options.prefix.endsWith("/")) throw new RangeError(`The archive prefix must end with /, got ${JSON.stringify(options.prefix)}.`);
  const target = {
    s3: options.s3 ?? new S3Client({}),
    bucket: options.bucket,
    prefix: options.prefix,
    compression: options.compression ?? "gzip",
  };
  const lineage = new ShardLineage(listShardsWith(options.kinesis ?? new KinesisClient({})));
  return createBatchedConsumer(
    async (records) => {
      const { eventSourceARN, shardId } = records[0]!;
      await writeArchiveObject(target, records, await lineage.parentsOf(eventSourceARN, shardId));
    },
    { serviceName: "archiver", ...options.consumer, ...ONE_OBJECT_PER_HOUR, splitBetween: differentArrivalHours },
  );
}

let envHandler: KinesisConsumerHandler | undefined;

/** The Lambda entry, configured from `process.env` on its first invocation. */
export const handler: KinesisConsumerHandler = (event, context) => {
  envHandler ??= createArchiverHandler(archiverOptionsFromEnv(process.env));
  return envHandler(event, context);
};
