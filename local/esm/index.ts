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
export { buildOnFailureRecord } from "./on-failure";
export { validateMappingSettings } from "./validate";
export { compileFilterCriteria, type RecordFilter } from "../../semantics/event-filter";
export { MAX_WINDOW_STATE_BYTES, type KinesisWindowEvent } from "./tumbling-window";
