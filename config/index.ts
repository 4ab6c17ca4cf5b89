export { ConfigValidationError } from "./errors";
export { fromPulumiConfig, loadStackFile, readStackFile, PROJECT, PROJECT_DIR } from "./load";
export type { ApiAuth, ApiConfig, ApiFront, ConsumerConfig, ObservabilityConfig, StackConfig, StartingPosition, StreamConfig } from "./types";
export { SECRET_KEYS } from "./types";
export { validateStackConfig } from "./validate";
