/**
 * What each built-in kind adds to its consumer's function in the deployed stack: the variables its contract
 * writes (handlers/lib/environment/), the grants on its role, and the resources behind them (a fan-out target,
 * a state machine). Keyed by every built-in kind, so a new one does not compile until it says what it needs.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConsumerConfig, StackConfig } from "../config";
import type { FanoutHandler } from "../config/defaults";
import { eventBridgeEvent } from "../config/fanout-settings";
import { fanoutTargetName, stateMachineName } from "../config/names";
import type { BuiltInKind } from "../handlers/lib/built-in-kinds";
import { archiverEnvironment } from "../handlers/lib/environment/archiver";
import { forwarderEnvironment } from "../handlers/lib/environment/forwarder";
import type { Variables } from "../handlers/lib/environment/variables";
import { archiveWriteStatement, type ArchiveBucket } from "./archive-bucket";
import { FanoutTarget } from "./fanout-target";
import type { PolicyStatement } from "./iam";
import { StateMachineTarget } from "./state-machine-target";

/** A kind's part of its consumer's function. */
export interface KindWiring {
  readonly environment: Variables<pulumi.Input<string>>;
  readonly statements: readonly PolicyStatement[];
}

/** What a kind's wiring may use of the stack. */
export interface KindContext {
  readonly stack: string;
  readonly consumer: ConsumerConfig;
  readonly config: StackConfig;
  /** The stack's archive bucket, when an archiver writes into it. */
  readonly archiveBucket: ArchiveBucket | undefined;
  readonly alarmActions: readonly pulumi.Input<string>[];
}

/** A fan-out kind: its target (created unless `targetArn` names one) and the one grant to publish there. */
function fanoutKind(handler: FanoutHandler) {
  return ({ stack, consumer, config, alarmActions }: KindContext): KindWiring => {
    const fanout = consumer.fanout!;
    return new FanoutTarget(`consumer-${consumer.name}-target`, {
      handler,
      fanout,
      targetName: fanoutTargetName(stack, consumer.name, fanout.fifo),
      event: handler === "eventbridge" ? eventBridgeEvent(stack, consumer.name, fanout) : undefined,
      alarmActions,
      lifecycle: config.lifecycle,
    });
  };
}

export const PROGRAM_KINDS: Readonly<Record<BuiltInKind, (context: KindContext) => KindWiring>> = {
  forwarder: ({ consumer }) => ({ environment: forwarderEnvironment(consumer), statements: [] }),
  archiver: ({ consumer, archiveBucket }) => {
    const archive = consumer.archive!;
    const bucket = archive.bucketName ?? archiveBucket!.name;
    return { environment: archiverEnvironment({ ...archive, bucket }), statements: [archiveWriteStatement(bucket, archive.prefix)] };
  },
  sqs: fanoutKind("sqs"),
  sns: fanoutKind("sns"),
  eventbridge: fanoutKind("eventbridge"),
  stepfunctions: ({ stack, consumer }) =>
    new StateMachineTarget(`consumer-${consumer.name}-state-machine`, {
      stepFunctions: consumer.stepFunctions!,
      stateMachineName: stateMachineName(stack, consumer.name),
    }),
};
