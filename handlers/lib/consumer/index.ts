/** The Kinesis consumer runtime: see {@link createKinesisConsumer} and, behind a tumbling window, {@link createWindowedConsumer}. */
export { createKinesisConsumer, DEFAULT_CONCURRENCY } from "./consumer";
export { DEFAULT_TIME_MARGIN_MS, type KinesisConsumerHandler } from "./runtime";
export { decodeKinesisEvent, type DecodedBatch } from "./decode";
export type { ConsumerOptions, ConsumerRecord, ErrorWithLogFields, OnFailureDestination, RecordProcessor } from "./types";
export { PermanentRecordError } from "./poison";
export { ConsumerError, InvalidEventError } from "./errors";
export { DeliveryError } from "./delivery";
export { getSecretJson, invalidateSecret, SecretError, SecretFormatError, SecretNotFoundError, SecretUnavailableError } from "../secrets";
export {
  getParameter,
  getParameters,
  invalidateParameter,
  ParameterError,
  ParameterNotFoundError,
  type ParameterReadOptions,
} from "../parameters";
export {
  createWindowedConsumer,
  WindowStateTooLargeError,
  type KinesisWindowedEvent,
  type WindowedConsumerHandler,
  type WindowedConsumerOptions,
  type WindowInfo,
} from "./windowed";
export { MemoryIdempotencyStore, type MemoryStoreOptions } from "../idempotency/memory-store";
export { IdempotencyStoreError, type IdempotencyMode, type IdempotencyStore, type RecordHistory } from "../idempotency/store";
export { createBatchedConsumer, OversizeRecordError, type BatchedConsumerOptions, type ChunkAnswer, type ChunkProcessor } from "./batched";
export type { ChunkLimits } from "../chunks";
