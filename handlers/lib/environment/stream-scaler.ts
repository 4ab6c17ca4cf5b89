/**
 * The stream scaler's variables (handlers/stream-scaler.ts): the stream (`STREAM_NAME`, `STREAM_ARN`), its
 * scaling history table (`SCALING_TABLE`) and `stream.autoscaling`'s bounds, target and cooldowns, all required.
 */
import { requiredVariable, type EnvironmentSource, type Variables } from "./variables";

const SCALER_VARIABLES = {
  streamName: "STREAM_NAME",
  streamArn: "STREAM_ARN",
  table: "SCALING_TABLE",
  minShards: "MIN_SHARDS",
  maxShards: "MAX_SHARDS",
  targetUtilization: "TARGET_UTILIZATION",
  scaleOutCooldownMinutes: "SCALE_OUT_COOLDOWN_MINUTES",
  scaleInCooldownMinutes: "SCALE_IN_COOLDOWN_MINUTES",
} as const;

type PolicyKey = "minShards" | "maxShards" | "targetUtilization" | "scaleOutCooldownMinutes" | "scaleInCooldownMinutes";
const POLICY_KEYS: readonly PolicyKey[] = [
  "minShards",
  "maxShards",
  "targetUtilization",
  "scaleOutCooldownMinutes",
  "scaleInCooldownMinutes",
];

/** What the scaler runs on; `V` is a Pulumi Input in the program. */
export interface StreamScalerSettings<V = string> extends Readonly<Record<PolicyKey, number>> {
  readonly streamName: V;
  readonly streamArn: V;
  readonly table: V;
}

export function streamScalerEnvironment<V>(s: StreamScalerSettings<V>): Variables<V> {
  const v = SCALER_VARIABLES;
  return {
    [v.streamName]: s.streamName,
    [v.streamArn]: s.streamArn,
    [v.table]: s.table,
    ...Object.fromEntries(POLICY_KEYS.map((key) => [v[key], String(s[key])])),
  };
}

/** The settings from the function's environment, with errors naming the variable. */
export function streamScalerFromEnv(env: EnvironmentSource): StreamScalerSettings {
  const v = SCALER_VARIABLES;
  const number = (key: PolicyKey): number => {
    const value = Number(requiredVariable(env, v[key], `\`stream.autoscaling.${key}\``));
    if (!(value >= 0)) throw new Error(`${v[key]} must be a number of at least 0, got ${JSON.stringify(env[v[key]])}.`);
    return value;
  };
  return {
    streamName: requiredVariable(env, v.streamName, "the stream to scale"),
    streamArn: requiredVariable(env, v.streamArn, "the stream's ARN"),
    table: requiredVariable(env, v.table, "the scaling history table"),
    ...(Object.fromEntries(POLICY_KEYS.map((key) => [key, number(key)])) as Record<PolicyKey, number>),
  };
}
