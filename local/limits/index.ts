export { startLimitsProxy, type LimitsProxyOptions, type LimitsProxyStats, type RunningLimitsProxy } from "./proxy";
export { TokenBucket, type Clock } from "./token-bucket";
export { ShardThroughput, type ShardLimits } from "./shard-throughput";
export { ShardDirectory } from "./shard-directory";
export type { WriteCounts, WriteObserver } from "./write-meter";
