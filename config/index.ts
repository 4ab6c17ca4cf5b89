export { ConfigValidationError } from "./errors";
export { fromPulumiConfig, loadStackFile, readStackFile } from "./load";
export { PROJECT } from "./project";
export type {
  ApiAuth,
  ApiConfig,
  ApiFront,
  ConsumerConfig,
  ObservabilityConfig,
  StackConfig,
  StartingPosition,
  StreamConfig,
} from "./types";
export { SECRET_KEYS } from "./types";
export { validateStackConfig } from "./validate";
