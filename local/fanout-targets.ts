/**
 * The fan-out consumers' targets inside the local stack, named as the program names them: SQS queues and
 * SNS topics on fauxqs (each topic with a reader queue subscribed with raw delivery, so deliveries can be
 * seen), and buses on the PutEvents stand-in (`local/event-bus.ts`). An existing `targetArn` is stood in for
 * by a local target of the same name.
 */
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { eventBridgeEvent, isFanoutHandler } from "../config/fanout-settings";
import { fanoutTargetName } from "../config/names";
import type { ConsumerConfig } from "../config/types";
import type { LocalEventBus } from "./event-bus";
import { createQueue } from "./provision";

/** Where one fan-out consumer publishes locally (what `/_local/status` lists under `fanoutTargets`). */
export type LocalFanoutTarget =
  | { readonly kind: "sqs"; readonly queueUrl: string; readonly fifo: boolean }
  | { readonly kind: "sns"; readonly topicArn: string; readonly fifo: boolean; readonly readerQueueUrl: string }
  | { readonly kind: "eventbridge"; readonly eventBusName: string; readonly source: string; readonly detailType: string };

/** What the targets are created in. */
export interface FanoutEmulators {
  readonly stack: string;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly eventBus: LocalEventBus;
}

/** The name of the target: the last part of its `targetArn`, else the program's name for it. */
function targetName(stack: string, consumer: ConsumerConfig): string {
  const arn = consumer.fanout?.targetArn;
  if (arn === undefined) return fanoutTargetName(stack, consumer.name, consumer.fanout?.fifo ?? false);
  return arn.slice(Math.max(arn.lastIndexOf(":"), arn.lastIndexOf("/")) + 1);
}

/** Creates the target of every fan-out consumer (idempotent); returns them by consumer name. */
export async function createFanoutTargets(
  consumers: readonly ConsumerConfig[],
  emulators: FanoutEmulators,
): Promise<Map<string, LocalFanoutTarget>> {
  const targets = new Map<string, LocalFanoutTarget>();
  for (const consumer of consumers) {
    const { fanout, handler } = consumer;
    if (fanout === undefined || !isFanoutHandler(handler)) continue;
    const name = targetName(emulators.stack, consumer);
    if (handler === "sqs") {
      const { url } = await createQueue(emulators.sqs, name, fanout.fifo);
      targets.set(consumer.name, { kind: "sqs", queueUrl: url, fifo: fanout.fifo });
    } else if (handler === "sns") {
      const { TopicArn } = await emulators.sns.send(
        new CreateTopicCommand({ Name: name, Attributes: fanout.fifo ? { FifoTopic: "true" } : {} }),
      );
      const reader = await createQueue(emulators.sqs, `${name.replace(/\.fifo$/, "")}-reader${fanout.fifo ? ".fifo" : ""}`, fanout.fifo);
      await emulators.sns.send(
        new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: reader.arn, Attributes: { RawMessageDelivery: "true" } }),
      );
      targets.set(consumer.name, { kind: "sns", topicArn: TopicArn!, fifo: fanout.fifo, readerQueueUrl: reader.url });
    } else {
      const eventBusName = fanout.targetArn === undefined && fanout.eventBus === "default" ? "default" : name;
      emulators.eventBus.createBus(eventBusName);
      targets.set(consumer.name, { kind: "eventbridge", eventBusName, ...eventBridgeEvent(emulators.stack, consumer.name, fanout) });
    }
  }
  return targets;
}
