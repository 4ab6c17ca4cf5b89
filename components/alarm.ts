/**
 * The one shape of alarm the pipeline uses (stream, consumer and canary alarms alike): a metric statistic over
 * one period beyond a threshold, quiet while there is no data unless told otherwise, notifying the same actions
 * on alarm and recovery.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ALARM_PERIOD_SECONDS } from "./constants";

export interface ThresholdAlarmArgs {
  /** What firing means and what to do about it, in a sentence. */
  readonly alarmDescription: string;
  /** e.g. `AWS/Kinesis`. */
  readonly namespace: string;
  readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
  readonly metricName: string;
  /** e.g. `Sum`, `Maximum`. */
  readonly statistic: string;
  /** The alarm fires when the statistic is greater than this (less, with `below`). */
  readonly threshold: number;
  /** Fire below the threshold instead (a success rate). @default false */
  readonly below?: boolean;
  /** The period evaluated. @default ALARM_PERIOD_SECONDS */
  readonly periodSeconds?: number;
  /**
   * A period without data: quiet (`notBreaching`), or firing (`breaching`) where silence means the thing watched
   * stopped, as a canary that no longer runs. @default "notBreaching"
   */
  readonly treatMissingData?: "notBreaching" | "breaching";
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly actions?: readonly pulumi.Input<string>[];
}

/** Creates the alarm `name` as a child of `parent`. */
export function thresholdAlarm(name: string, args: ThresholdAlarmArgs, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
  const { actions, below, periodSeconds, treatMissingData, ...metric } = args;
  const notify = [...(actions ?? [])];
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      ...metric,
      period: periodSeconds ?? ALARM_PERIOD_SECONDS,
      evaluationPeriods: 1,
      comparisonOperator: below ? "LessThanThreshold" : "GreaterThanThreshold",
      treatMissingData: treatMissingData ?? "notBreaching",
      alarmActions: notify,
      okActions: notify,
    },
    { parent },
  );
}
