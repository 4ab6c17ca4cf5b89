/** The replay and redrive library behind `kinesis-ingest replay` and `kinesis-ingest redrive`. */
export { runReplay, type ReplayOptions, type ReplaySummary } from "./replay";
export { runRedrive, type RedriveOptions, type MessageOutcome } from "./redrive";
export { parseOnFailureRecord, type FailedBatchPointer } from "./on-failure-record";
export { readShard, type ShardReadOptions, type ShardPage } from "./shard-reader";
export { runInShardOrder, shardWaves, listedParents } from "./shard-graph";
export { CheckpointFile, type CheckpointState, type ShardCheckpoint } from "./checkpoint";
export { recordFilter, parseWhere, type FieldCondition } from "./filters";
export { ShardReadPacer, RecordRateLimiter } from "./pacing";
export { ReplayStats, type ShardStats, type FailedRange } from "./replay-stats";
export { kinesisClientFor, sqsClientFor, lambdaClientFor, type AwsTarget } from "./clients";
export { ReplayError, StreamNotFoundError, UsageError, CheckpointError, ReadFailedError } from "./errors";
export { functionTarget, type FunctionTargetOptions } from "./targets/function-target";
export { fileTarget } from "./targets/file-target";
export { streamTarget } from "./targets/stream-target";
export { dryRunTarget, type ReplayTarget, type DeliveryOutcome } from "./targets/target";
export type { StreamRecord, ShardInfo, StartPosition } from "./types";
