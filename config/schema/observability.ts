/** `kinesis-ingest:observability`: logs, alarms, the dashboard, Contributor Insights and the canary. */
import { Type } from "@sinclair/typebox";
import { LOG_RETENTION_DAYS } from "../../semantics/log-retention";
import { CANARY_SCHEDULE_MINUTES } from "../../semantics/synthetics";
import { choice, flag, int, section, text } from "./kit";

/** `observability.canary`: present, a CloudWatch Synthetics canary calls the front (components/canary.ts). */
export const CANARY = section(
  {
    scheduleMinutes: int({
      minimum: CANARY_SCHEDULE_MINUTES.min,
      maximum: CANARY_SCHEDULE_MINUTES.max,
      default: 5,
      description: "Minutes between runs.",
    }),
    successPercentAlarm: int({
      minimum: 1,
      maximum: 100,
      default: 90,
      description: "The alarm fires when fewer runs of a period pass than this, in percent.",
    }),
  },
  { description: "A CloudWatch Synthetics canary calling the front, and its alarm; absent, none." },
);

export const OBSERVABILITY = section(
  {
    logRetentionDays: choice(LOG_RETENTION_DAYS, {
      default: 14,
      description: "CloudWatch Logs retention of every function's and access log, one of the values CloudWatch Logs takes.",
    }),
    alarmEmail: text({ description: "An e-mail address subscribed to the alarm topic; no topic when unset." }),
    iteratorAgeAlarmMs: int({
      minimum: 1000,
      maximum: 604_800_000,
      default: 60_000,
      description: "Iterator age (ms) above which a consumer's alarm fires.",
    }),
    dashboard: flag({ default: true, description: "Create the CloudWatch dashboard." }),
    contributorInsights: flag({
      default: false,
      description: "Contributor Insights rules (top partition keys, callers, busiest shards, failing keys) and the log lines they read.",
    }),
    canary: Type.Optional(CANARY),
  },
  { description: "Logs, alarms, the dashboard, Contributor Insights and the canary." },
);
