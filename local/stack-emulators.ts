/**
 * The emulators of a local stack, started side by side and each registered for shutdown as soon as it runs:
 * fauxqs (SQS, SNS, S3), the Secrets Manager, DynamoDB, EventBridge and Parameter Store stand-ins in process,
 * the Kinesis emulator (optionally behind the limits proxy), the Step Functions stand-in when a consumer
 * needs it, and the AWS environment that points the SDK at them.
 */
import type { StackConfig } from "../config/types";
import { localAwsEnvironment } from "./aws-environment";
import { startDynamoDb } from "./dynamodb";
import { startKinesis, startSqs, type KinesisEmulatorKind, type RunningEmulator } from "./emulators";
import { startEventBus, type LocalEventBus } from "./event-bus";
import { startLimitsProxy, type RunningLimitsProxy, type WriteObserver } from "./limits";
import { startParameterStore, type LocalParameterStore } from "./parameter-store";
import { onPort, RANDOM_PORTS, type EmulatorPorts } from "./ports";
import { startSecretsEndpoint, type LocalSecretsManager } from "./secrets-endpoint";
import { createStateMachines, type LocalStateMachines } from "./state-machines";

/** What decides which emulators run and where. */
export interface StackEmulatorOptions {
  /** Stack name: names the Step Functions stand-in's state machines. */
  readonly stack: string;
  /** The emulators' ports (ports.ts). @default a free port each */
  readonly emulatorPorts?: EmulatorPorts;
  readonly kinesis: KinesisEmulatorKind;
  /** Put the Kinesis limits proxy in front of the emulator. */
  readonly limits: boolean;
  /**
   * The Kinesis emulator, already starting: `npm start` launches it before loading the handlers, so
   * kinesis-local boots on another core meanwhile. @default started here
   */
  readonly kinesisEmulator?: Promise<RunningEmulator>;
}

/** The running emulators and where they are. */
export interface StackEmulators {
  readonly sqsEmulator: RunningEmulator;
  readonly secrets: LocalSecretsManager;
  readonly dynamodbEmulator: RunningEmulator;
  readonly eventBus: LocalEventBus;
  readonly parameterStore: LocalParameterStore;
  /** The Kinesis emulator itself. */
  readonly emulator: RunningEmulator;
  readonly stepFunctions?: LocalStateMachines;
  readonly proxy?: RunningLimitsProxy;
  /** Where Kinesis traffic goes: the limits proxy when there is one, else the emulator. */
  readonly kinesisEndpoint: string;
  /** The `AWS_ENDPOINT_URL_<SERVICE>` variables and dummy credentials that point the SDK at them. */
  readonly awsEnvironment: Readonly<Record<string, string>>;
}

/**
 * Starts the emulators `config` needs; each pushes its `stop` on `stoppers` once started, so the caller stops
 * whatever runs when a later step fails. `onWrite` hears what the limits proxy sees written.
 */
export async function startStackEmulators(
  config: StackConfig,
  options: StackEmulatorOptions,
  stoppers: Array<() => Promise<void>>,
  onWrite: WriteObserver,
): Promise<StackEmulators> {
  const ports = options.emulatorPorts ?? RANDOM_PORTS;
  const track = <T extends { stop(): Promise<void> }>(running: T): T => {
    stoppers.push(() => running.stop());
    return running;
  };
  // The in-process emulators bind first: kinesis-local is a child process told a free port, and an emulator
  // binding port 0 at the same moment could be handed that same port before the child takes it.
  const inProcess = [
    onPort(ports, "sqs", startSqs).then(track),
    onPort(ports, "secretsManager", startSecretsEndpoint).then(track),
    onPort(ports, "dynamodb", startDynamoDb).then(track),
    onPort(ports, "eventBridge", startEventBus).then(track),
    onPort(ports, "parameterStore", startParameterStore).then(track),
  ] as const;
  try {
    const [sqsEmulator, secrets, dynamodbEmulator, eventBus, parameterStore] = await Promise.all(inProcess);
    const emulator = await (options.kinesisEmulator ?? onPort(ports, "kinesis", (port) => startKinesis(options.kinesis, port))).then(track);
    const stepFunctions = await createStateMachines(options.stack, Object.values(config.consumers), stoppers);
    const proxy = options.limits
      ? track(
          await onPort(ports, "limitsProxy", (port) =>
            startLimitsProxy({ target: emulator.endpoint, port, maxRecordSizeKiB: config.stream.maxRecordSizeKiB, onWrite }),
          ),
        )
      : undefined;
    const kinesisEndpoint = proxy?.endpoint ?? emulator.endpoint;
    const awsEnvironment = localAwsEnvironment({
      kinesis: kinesisEndpoint,
      sqs: sqsEmulator.endpoint,
      s3: sqsEmulator.endpoint,
      secretsManager: secrets.endpoint,
      dynamodb: dynamodbEmulator.endpoint,
      eventBridge: eventBus.endpoint,
      parameterStore: parameterStore.endpoint,
      stepFunctions: stepFunctions?.endpoint,
    });
    return {
      sqsEmulator,
      secrets,
      dynamodbEmulator,
      eventBus,
      parameterStore,
      emulator,
      ...(stepFunctions ? { stepFunctions } : {}),
      ...(proxy ? { proxy } : {}),
      kinesisEndpoint,
      awsEnvironment,
    };
  } catch (error) {
    await Promise.allSettled(inProcess); // each one still starting is tracked once started, then stopped by the caller
    throw error;
  }
}
