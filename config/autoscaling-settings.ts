/**
 * `stream.autoscaling`: the bounds and pace of the stream scaler (handlers/stream-scaler.ts), provisioned
 * streams only. Checked against UpdateShardCount's rules (semantics/shard-scaling.ts) and the account's default
 * shard quota in the stack's Region (semantics/stream-capacity.ts): a quota can be raised, so going beyond the
 * default is a warning, and `kinesis-ingest doctor` reads the account's real one.
 */
import { defaultShardQuota } from "../semantics/stream-capacity";
import { STREAM_SCALER } from "./names";
import { integer, type Problems, rejectUnknownKeys, type RawObject } from "./rules";
import { bounds, defaultsOf, keysOf } from "./schema/kit";
import { AUTOSCALING } from "./schema/stream";
import type { AutoscalingConfig } from "./types";

const DEFAULTS = defaultsOf(AUTOSCALING);
const S = AUTOSCALING.properties;

/**
 * Reads `stream.autoscaling` (`raw` undefined: off). `shards` is the stream's initial count, which must lie
 * within the bounds; `region` (when known) names the default shard quota a `maxShards` above it is warned of.
 */
export function readAutoscaling(
  p: Problems,
  raw: unknown,
  stream: { readonly mode?: string; readonly shards?: number; readonly region?: string },
): AutoscalingConfig | undefined {
  if (raw === undefined) return undefined;
  const at = (key: string) => `stream.autoscaling.${key}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return p.add("stream.autoscaling", "an object", raw);
  const a = raw as RawObject;
  const before = p.list.length;
  if (stream.mode === "on-demand")
    return p.say(
      "`stream.autoscaling` applies only to provisioned streams (AWS scales on-demand ones): remove it or set `stream.mode` to provisioned",
    );
  rejectUnknownKeys(p, "stream.autoscaling", a, keysOf(AUTOSCALING));
  if (a.maxShards === undefined)
    p.say(`\`stream.autoscaling.maxShards\` is required: the most shards the scaler may make (at most ${S.maxShards.maximum})`);
  const minShards = integer(p, at("minShards"), a.minShards ?? DEFAULTS.minShards, ...bounds(S.minShards));
  const maxShards = a.maxShards === undefined ? undefined : integer(p, at("maxShards"), a.maxShards, ...bounds(S.maxShards));
  const target = a.targetUtilization ?? DEFAULTS.targetUtilization;
  const targetUtilization =
    typeof target === "number" && target > S.targetUtilization.exclusiveMinimum && target <= S.targetUtilization.maximum
      ? target
      : p.add(at("targetUtilization"), "a fraction of each shard's write limits above 0 and at most 1 (0.7 is 70%)", target);
  const cooldown = (key: "scaleOutCooldownMinutes" | "scaleInCooldownMinutes") =>
    integer(p, at(key), a[key] ?? DEFAULTS[key], ...bounds(S[key]));
  const scaleOutCooldownMinutes = cooldown("scaleOutCooldownMinutes");
  const scaleInCooldownMinutes = cooldown("scaleInCooldownMinutes");
  if (minShards !== undefined && maxShards !== undefined && stream.shards !== undefined) {
    if (minShards > maxShards) p.say(`\`stream.autoscaling.minShards\` (${minShards}) must be at most \`maxShards\` (${maxShards})`);
    else if (stream.shards < minShards || stream.shards > maxShards)
      p.say(
        `\`stream.shards\` (${stream.shards}), the stream's initial count, must lie within \`stream.autoscaling\`'s ` +
          `${minShards}–${maxShards}`,
      );
  }
  if (maxShards !== undefined && stream.region !== undefined && maxShards > defaultShardQuota(stream.region))
    p.warn(
      `\`stream.autoscaling.maxShards\` (${maxShards}) is above the default shard quota of ${stream.region} ` +
        `(${defaultShardQuota(stream.region)} for the account): \`kinesis-ingest doctor\` checks the account's own`,
    );
  if (p.list.length > before) return undefined;
  // Every value was checked above; with no new problem none is undefined.
  return { minShards, maxShards, targetUtilization, scaleOutCooldownMinutes, scaleInCooldownMinutes } as AutoscalingConfig;
}

/** A consumer named `stream-scaler` would have the scaler's function name (config/names.ts). */
export function checkScalerName(p: Problems, autoscaling: AutoscalingConfig | undefined, consumerNames: readonly string[]): void {
  if (autoscaling !== undefined && consumerNames.includes(STREAM_SCALER))
    p.say(
      `\`consumers.${STREAM_SCALER}\` would take the stream scaler's function name while \`stream.autoscaling\` is on: rename the consumer`,
    );
}

/** `{ autoscaling }` when it is on, else `{}`: a stack without it validates to the same object as before. */
export function autoscalingKey(autoscaling: AutoscalingConfig | undefined): { autoscaling?: AutoscalingConfig } {
  return autoscaling === undefined ? {} : { autoscaling };
}
