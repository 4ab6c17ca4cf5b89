/**
 * The three alarms every stream consumer gets: its function falling behind the stream (iterator age), its
 * function failing invocations, and its on-failure queue holding batches it gave up on. Its own file
 * because what an operator is paged for is a concept apart from the resources that consume the stream.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { thresholdAlarm } from "./alarm";

/** What one consumer's alarms watch, and whom they notify. */
export interface ConsumerAlarmArgs {
  /** The consumer's function. */
  readonly functionName: pulumi.Input<string>;
  /** The consumer's on-failure queue. */
  readonly queueName: pulumi.Input<string>;
  /** Iterator age (ms) above which the alarm fires. */
  readonly iteratorAgeAlarmMs: number;
  /** Alarm and OK actions (SNS topic ARNs). @default [] */
  readonly actions?: readonly pulumi.Input<string>[];
}

/** Creates consumer `name`'s alarms (`<name>-iterator-age`, `<name>-errors`, `<name>-dlq-depth`) as children of `parent`. */
export function consumerAlarms(name: string, args: ConsumerAlarmArgs, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm[] {
  const actions = args.actions;
  const byFunction = { namespace: "AWS/Lambda", dimensions: { FunctionName: args.functionName }, actions };
  return [
    thresholdAlarm(
      `${name}-iterator-age`,
      {
        ...byFunction,
        alarmDescription: `${name} is falling behind the stream.`,
        metricName: "IteratorAge",
        statistic: "Maximum",
        threshold: args.iteratorAgeAlarmMs,
      },
      parent,
    ),
    thresholdAlarm(
      `${name}-errors`,
      {
        ...byFunction,
        alarmDescription: `${name} is failing invocations (batches are being retried or bisected).`,
        metricName: "Errors",
        statistic: "Sum",
        threshold: 0,
      },
      parent,
    ),
    thresholdAlarm(
      `${name}-dlq-depth`,
      {
        alarmDescription: `${name} gave up on batches: redrive them from the on-failure queue.`,
        namespace: "AWS/SQS",
        dimensions: { QueueName: args.queueName },
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        threshold: 0,
        actions,
      },
      parent,
    ),
  ];
}
