export { AlarmTopic, type AlarmTopicArgs } from "./alarm-topic";
export { bundleHandler, bundledArchive, type HandlerBundle } from "./bundle";
export { ConfigSecret, type ConfigSecretArgs } from "./config-secret";
export { PipelineDashboard, type PipelineDashboardArgs } from "./dashboard";
export { EventStream, type EventStreamArgs } from "./event-stream";
export { IngestApi, type IngestApiArgs } from "./ingest-api";
export { NodeFunction, type NodeFunctionArgs } from "./node-function";
export { kinesisIngest, stackOutputs, type ProgramOptions, type ProgramOutputs } from "./program";
export { StreamConsumer, type StreamConsumerArgs } from "./stream-consumer";
