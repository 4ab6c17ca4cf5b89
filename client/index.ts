/** The producer library: the HTTP API client and the direct Kinesis producer, behind one interface. */
export { HttpProducer, type HttpProducerOptions } from "./http-producer";
export { KinesisProducer, type KinesisProducerOptions } from "./kinesis-producer";
export { WebSocketProducer, type WebSocketProducerOptions } from "./websocket-producer";
export { ProducerError, RecordRejectedError, RecordDeadlineError, ProducerClosedError } from "./errors";
export { AggregateBuilder, type UserRecord } from "./kpl-aggregate";
export { KINESIS_SHARD_WRITE_RATE, type ShardRate } from "./rate-limiter";
export type { Producer, ProducerRecord, ProducerStats, PutResult, LatencyPercentiles } from "./types";
