/**
 * The target of a fan-out target kind (`handler: sqs | sns | eventbridge`): the queue, topic or custom event bus
 * the program creates when there is no `targetArn` — encrypted, named by `config/names.ts`, with an alarm on
 * the stack's alarm topic — or the existing one `targetArn` names, or the account's `default` bus. It hands
 * the consumer's function exactly the environment and the one statement it needs to publish there
 * (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FanoutHandler } from "../config/defaults";
import type { FanoutConfig } from "../config/types";
import { eventBridgeEnvironment } from "../handlers/lib/environment/eventbridge";
import { snsEnvironment } from "../handlers/lib/environment/sns";
import { sqsEnvironment } from "../handlers/lib/environment/sqs";
import { SQS_SEND_MESSAGE_BATCH } from "../semantics/fanout-limits";
import { thresholdAlarm } from "./alarm";
import { FANOUT_TARGET } from "./constants";
import { allow, type PolicyStatement } from "./iam";
import { dataBearing, fixedName, type LifecycleConfig } from "./lifecycle";

/** A fan-out target kind's validated target settings and what to name and alarm. */
export interface FanoutTargetArgs {
  readonly handler: FanoutHandler;
  readonly fanout: FanoutConfig;
  /** The physical name of a target the program creates (config/names.ts `fanoutTargetName`). */
  readonly targetName: string;
  /** The events' Source and DetailType (`eventbridge`). */
  readonly event?: { readonly source: string; readonly detailType: string };
  /** Alarm and OK actions (SNS topic ARNs). */
  readonly alarmActions: readonly pulumi.Input<string>[];
  /** How a queue or topic it creates (messages not yet read, subscriptions) is guarded. */
  readonly lifecycle: LifecycleConfig;
}

/**
 * The queue URL of an SQS queue ARN `arn:<partition>:sqs:<region>:<account>:<name>`:
 * `https://sqs.<region>.amazonaws.com/<account>/<name>`.
 */
function queueUrlOfArn(arn: string): string {
  const [, , , region, account, name] = arn.split(":");
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export class FanoutTarget extends pulumi.ComponentResource {
  /** The target's ARN (what the statement grants). */
  public readonly arn: pulumi.Output<string>;
  /** Variables the function reads its target from. */
  public readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** The function's grants on the target: one action on its ARN (and, for SNS, the topic's KMS key). */
  public readonly statements: readonly PolicyStatement[];
  public readonly alarms: readonly aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: FanoutTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:FanoutTarget", name, {}, opts);
    const { fanout } = args;
    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    if (args.handler === "sqs") {
      const queue =
        fanout.targetArn === undefined
          ? new aws.sqs.Queue(
              `${name}-queue`,
              {
                name: args.targetName,
                fifoQueue: fanout.fifo || undefined,
                // The largest message SendMessageBatch takes; a new queue's own default is 256 KiB.
                maxMessageSize: SQS_SEND_MESSAGE_BATCH.maxBytes,
                sqsManagedSseEnabled: true,
                messageRetentionSeconds: FANOUT_TARGET.queueRetentionSeconds,
              },
              dataBearing(args.lifecycle, { parent: this }),
            )
          : undefined;
      this.arn = queue ? queue.arn : pulumi.output(fanout.targetArn!);
      this.environment = sqsEnvironment({ queueUrl: queue ? queue.url : queueUrlOfArn(fanout.targetArn!), fifo: fanout.fifo });
      // SendMessageBatch is authorized as sqs:SendMessage; SQS-managed SSE needs no KMS grant.
      this.statements = [allow("SendToTargetQueue", ["sqs:SendMessage"], [this.arn])];
      if (queue)
        alarms.push(
          thresholdAlarm(
            `${name}-alarm`,
            {
              alarmDescription: `Messages wait in ${args.targetName} longer than ${FANOUT_TARGET.oldestMessageAgeAlarmSeconds} s: its readers are behind or stopped.`,
              namespace: "AWS/SQS",
              dimensions: { QueueName: queue.name },
              metricName: "ApproximateAgeOfOldestMessage",
              statistic: "Maximum",
              threshold: FANOUT_TARGET.oldestMessageAgeAlarmSeconds,
              actions: args.alarmActions,
            },
            this,
          ),
        );
    } else if (args.handler === "sns") {
      const topic =
        fanout.targetArn === undefined
          ? new aws.sns.Topic(
              `${name}-topic`,
              { name: args.targetName, fifoTopic: fanout.fifo || undefined, kmsMasterKeyId: FANOUT_TARGET.topicKmsKey },
              dataBearing(args.lifecycle, { parent: this }),
            )
          : undefined;
      this.arn = topic ? topic.arn : pulumi.output(fanout.targetArn!);
      this.environment = snsEnvironment({ topicArn: this.arn, fifo: fanout.fifo });
      this.statements = [allow("PublishToTargetTopic", ["sns:Publish"], [this.arn])];
      if (topic) {
        // Publishing to an encrypted topic needs the data key actions on its key (SNS "Key management").
        const key = aws.kms.getAliasOutput({ name: FANOUT_TARGET.topicKmsKey }, { parent: this }).targetKeyArn;
        this.statements = [...this.statements, allow("EncryptForTargetTopic", ["kms:GenerateDataKey", "kms:Decrypt"], [key])];
        alarms.push(
          thresholdAlarm(
            `${name}-alarm`,
            {
              alarmDescription: `${args.targetName} failed to deliver notifications to its subscribers.`,
              namespace: "AWS/SNS",
              dimensions: { TopicName: topic.name },
              metricName: "NumberOfNotificationsFailed",
              statistic: "Sum",
              threshold: 0,
              actions: args.alarmActions,
            },
            this,
          ),
        );
      }
    } else {
      let busName: pulumi.Input<string>;
      if (fanout.targetArn !== undefined) {
        this.arn = pulumi.output(fanout.targetArn);
        busName = fanout.targetArn;
      } else if (fanout.eventBus === "default") {
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        this.arn = pulumi.interpolate`arn:aws:events:${region}:${account}:event-bus/default`;
        busName = "default";
      } else {
        // A bus keeps no events: it is only a name its rules are attached to.
        const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: args.targetName }, fixedName({ parent: this }));
        this.arn = bus.arn;
        busName = bus.name;
      }
      const event = args.event!;
      this.environment = eventBridgeEnvironment({ eventBusName: busName, ...event });
      this.statements = [allow("PutEventsOnTargetBus", ["events:PutEvents"], [this.arn])];
    }
    this.alarms = alarms;
    this.registerOutputs({ arn: this.arn });
  }
}
