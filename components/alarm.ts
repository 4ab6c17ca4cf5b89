/**
 * The one shape of alarm the pipeline uses (stream and consumer alarms alike): a metric statistic over one
 * period above a threshold, quiet while there is no data, notifying the same actions on alarm and recovery.
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
  /** The alarm fires when the statistic is greater than this. */
  readonly threshold: number;
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly actions?: readonly pulumi.Input<string>[];
}

/** Creates the alarm `name` as a child of `parent`. */
export function thresholdAlarm(name: string, args: ThresholdAlarmArgs, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
  const { actions, ...metric } = args;
  const notify = [...(actions ?? [])];
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      ...metric,
      period: ALARM_PERIOD_SECONDS,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: notify,
      okActions: notify,
    },
    { parent },
  );
}
