/**
 * Checks across consumers of the stream they share: a replay window should still be in the stream and within
 * what a mapping can read (a warning), and no two mappings may subscribe through the same enhanced fan-out
 * consumer (docs/aws-semantics.md#enhanced-fan-out). Pure; every problem and warning recorded.
 */
import { MAX_REGISTERED_CONSUMERS } from "../semantics/enhanced-fan-out";
import { REPLAY_MAPPING } from "./defaults";
import { replayFanOutConsumerName } from "./names";
import type { Problems } from "./rules";
import type { ConsumerConfig } from "./types";

type Consumer = Pick<ConsumerConfig, "name" | "replayFrom" | "fanOutConsumer">;

const HOUR_MS = 3_600_000;

/**
 * A `replayFrom` older than the stream's retention replays nothing of its start (the records are gone), and
 * one older than the replay mapping's bounded record age sends its start to the on-failure queue. Both come
 * true with time alone, so they are warnings, never problems: once the replay has run, every later
 * `pulumi preview` would otherwise fail on a stack nobody changed (docs/day-2.md#a-stale-replayfrom).
 */
export function checkReplays(p: Problems, consumers: readonly Consumer[], retentionHours: number | undefined, now: number): void {
  for (const { name, replayFrom } of consumers) {
    const from = replayFrom === undefined ? Number.NaN : Date.parse(replayFrom);
    if (Number.isNaN(from)) continue;
    const ageHours = (now - from) / HOUR_MS;
    const key = `\`consumers.${name}.replayFrom\` ${replayFrom}`;
    const ago = `${ageHours.toFixed(1)} hours ago`;
    const done = "if its replay has run, remove the key (that deletes the replay mapping)";
    if (retentionHours !== undefined && ageHours > retentionHours) {
      p.warn(
        `${key} is ${ago}, older than the stream keeps records (\`stream.retentionHours\` ${retentionHours}): the replay mapping starts at the oldest record kept; ` +
          `${done}; for a new replay pick a time within the last ${retentionHours} hours`,
      );
    } else if (ageHours * 3600 > REPLAY_MAPPING.maxRecordAgeSeconds) {
      p.warn(
        `${key} is ${ago}, older than a replay mapping reads: its \`MaximumRecordAgeInSeconds\` is at most ${REPLAY_MAPPING.maxRecordAgeSeconds} s ` +
          `(${REPLAY_MAPPING.maxRecordAgeSeconds / 3600} hours, Lambda's bound), so older records go to the on-failure queue; ${done}; replay older windows with \`kinesis-ingest replay\``,
      );
    }
  }
}

/**
 * One registered consumer per mapping: a replay mapping reading through fan-out gets its own
 * (`<fanOutConsumer>-replay`), and two consumers may not name the same `fanOutConsumer`.
 */
export function checkFanOutSharing(p: Problems, consumers: readonly Consumer[], fanOutConsumers: readonly string[]): void {
  const users = new Map<string, string[]>();
  for (const { name, fanOutConsumer } of consumers) {
    if (fanOutConsumer !== undefined) users.set(fanOutConsumer, [...(users.get(fanOutConsumer) ?? []), name]);
  }
  for (const [fanOut, names] of users) {
    if (names.length < 2) continue;
    p.say(
      `${names.map((n) => `\`consumers.${n}.fanOutConsumer\``).join(" and ")} name the same fan-out consumer ${fanOut}: Kinesis keeps one SubscribeToShard ` +
        "subscription per consumer and shard, so the mappings would take each other's shards over; give each its own entry in `stream.fanOutConsumers`",
    );
  }
  const replays = consumers.filter((c) => c.replayFrom !== undefined && c.fanOutConsumer !== undefined);
  for (const { name, fanOutConsumer } of replays) {
    const replayName = replayFanOutConsumerName(fanOutConsumer!);
    if (fanOutConsumers.includes(replayName)) {
      p.say(
        `\`consumers.${name}.replayFrom\` registers fan-out consumer ${replayName} for its replay mapping, which \`stream.fanOutConsumers\` already lists: rename that entry`,
      );
    }
  }
  const registered = fanOutConsumers.length + replays.length;
  if (replays.length > 0 && registered > MAX_REGISTERED_CONSUMERS) {
    p.say(
      `\`stream.fanOutConsumers\` (${fanOutConsumers.length}) and the replay mappings' own fan-out consumers (${replays.length}) make ${registered} registered consumers; ` +
        `a stream has at most ${MAX_REGISTERED_CONSUMERS}`,
    );
  }
}
