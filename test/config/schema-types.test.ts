import { expect } from "chai";
import type { LOG_RETENTION_DAYS } from "../../semantics/log-retention";
import type { POISON_RECORD_MODES } from "../../semantics/poison-records";
import type {
  ApiConfig,
  AutoscalingConfig,
  CanaryConfig,
  ConsumerConfig,
  FanoutConfig,
  LifecycleConfig,
  ObservabilityConfig,
  StreamConfig,
} from "../../config/types";
import { validateStackConfig } from "../../config/validate";

// config/types.ts derives the validated types from the schema (`Validated`, config/schema/kit.ts). These lines
// fail `tsc` (part of `npm test`) when the derivation stops saying what the validator returns.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** `K` may be absent from `T`. */
type Optional<T, K extends keyof T> = object extends Pick<T, K> ? true : false;

const facts = {
  // A setting with a default is always there once validated, with the type the schema states.
  shards: true satisfies Equal<StreamConfig["shards"], number>,
  shardsRequired: false satisfies Optional<StreamConfig, "shards">,
  mode: true satisfies Equal<StreamConfig["mode"], "provisioned" | "on-demand">,
  fanOutConsumers: true satisfies Equal<StreamConfig["fanOutConsumers"], readonly string[]>,
  logRetention: true satisfies Equal<ObservabilityConfig["logRetentionDays"], (typeof LOG_RETENTION_DAYS)[number]>,
  // One without a default may be absent.
  warmThroughput: true satisfies Optional<StreamConfig, "warmThroughputMiBps">,
  jwtIssuer: true satisfies Optional<ApiConfig, "jwtIssuer">,
  // A nested section is validated itself; a key the schema requires (no `optional`) is there.
  autoscaling: true satisfies Equal<StreamConfig["autoscaling"], AutoscalingConfig | undefined>,
  maxShards: false satisfies Optional<AutoscalingConfig, "maxShards">,
  canary: true satisfies Equal<ObservabilityConfig["canary"], CanaryConfig | undefined>,
  // The default the schema cannot state (it depends on the stack's name) is filled in all the same.
  protect: false satisfies Optional<LifecycleConfig, "protect">,
  // A consumer: kind keys gathered, the settings some consumers lack optional despite their defaults.
  poisonRecords: true satisfies Equal<ConsumerConfig["poisonRecords"], (typeof POISON_RECORD_MODES)[number] | undefined>,
  maxBatchBytes: true satisfies Optional<ConsumerConfig, "maxBatchBytes">,
  fifo: true satisfies Equal<FanoutConfig["fifo"], boolean>,
  gathered: true satisfies Equal<Extract<keyof ConsumerConfig, "compression" | "fifo" | "definition" | "dropCanaryRecords">, never>,
  // Validated values are never changed downstream.
  frozen: true satisfies Equal<ConsumerConfig["tables"][string]["sortKey"], string | undefined>,
};

describe("config: the validated types, derived from the schema", () => {
  it("say what the validator returns (checked by tsc)", () => {
    expect(Object.values(facts)).to.have.length(16);
  });

  it("the validator's value of a stack with every default has exactly the keys the types require", () => {
    const config = validateStackConfig({}, undefined, { stack: "dev" });
    const required: Record<keyof StreamConfig & string, boolean> = {
      mode: true,
      shards: true,
      retentionHours: true,
      fanOutConsumers: true,
      maxRecordSizeKiB: true,
      autoscaling: false,
      warmThroughputMiBps: false,
    };
    expect(Object.keys(config.stream).sort()).to.deep.equal(
      Object.entries(required)
        .filter(([, r]) => r)
        .map(([k]) => k)
        .sort(),
    );
  });
});
