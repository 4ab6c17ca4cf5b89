/**
 * Enhanced fan-out (docs/aws-semantics.md#enhanced-fan-out): a registered consumer gets its own 2 MiB/s per
 * shard, and Kinesis keeps one SubscribeToShard subscription per consumer and shard; a second subscription
 * with the same consumer takes the shard over from the first.
 */

/** Consumers one stream may have registered at a time (Kinesis quotas). */
export const MAX_REGISTERED_CONSUMERS = 20;
