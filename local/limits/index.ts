export { startLimitsProxy, type LimitsProxyOptions, type LimitsProxyStats, type RunningLimitsProxy } from "./proxy";
export { TokenBucket, systemClock, type Clock } from "./token-bucket";
export { ShardThroughput, ShardThroughputRegistry, KINESIS_SHARD_LIMITS, type ShardLimits } from "./shard-throughput";
export { ShardDirectory } from "./shard-directory";
