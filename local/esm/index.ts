/** The local event source mapping engine: Lambda's Kinesis polling semantics, rule by rule. */
export { EventSourceMapping } from "./mapping";
export type {
  EventSourceMappingOptions,
  EventSourceMappingStats,
  InvokeContext,
  InvokeFunction,
  InvokeResult,
  MappingSettings,
} from "./types";
export { type RecordFilter } from "../../semantics/event-filter";
export { type KinesisWindowEvent } from "./tumbling-window";
