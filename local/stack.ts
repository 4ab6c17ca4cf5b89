/**
 * The local stack: the dev stack's topology on one machine, from the validated stack configuration —
 * Kinesis emulator (optionally behind the limits proxy), SQS on-failure queues, S3 archive buckets, a local
 * Secrets Manager, the fan-out consumers' queues, topics (fauxqs) and buses (the PutEvents stand-in),
 * the real ingest, authorizer and consumer handlers as local functions, one event source mapping per
 * consumer, and one HTTP server on 127.0.0.1 for the API, the Invoke API, the status page, the sink and
 * the console.
 */
import { idempotencyTtlSeconds } from "../config/defaults";
import { stackNames } from "../config/names";
import type { ConsumerConfig, StackConfig } from "../config/types";
import {
  localKinesisClient,
  localS3Client,
  localSecretsManagerClient,
  localEventBridgeClient,
  localSnsClient,
  localSqsClient,
} from "./emulators";
import { useLocalEndpoints } from "./aws-environment";
import { createLocalConsole } from "./console";
import { ConsumerTally } from "./console/consumer-tally";
import { startConsumerMappings } from "./consumer-mappings";
import { createFanoutTargets } from "./fanout-targets";
import { localDynamoDbClient } from "./dynamodb";
import { createLocalApi, LOCAL_JWKS_PATH } from "./fronts";
import { localApiStatus } from "./fronts/status";
import { createLocalFunctions } from "./local-functions";
import { localShardCount, provisionStack } from "./provision";
import { stackParameters } from "./parameter-store";
import { storeStackSecrets } from "./secrets-endpoint";
import { startLocalServer, type LocalStatus } from "./server";
import { startStackEmulators, type StackEmulatorOptions } from "./stack-emulators";
import { Sink } from "./sink";
import { startAutoscaling, type LocalStreamScaler } from "./stream-scaler";

/** How the local stack runs. */
export interface LocalStackOptions extends StackEmulatorOptions {
  /** Port of the HTTP server on 127.0.0.1 (0 = a free one). */
  readonly port: number;
  /** The bearer token the API accepts (when auth is `token`). */
  readonly token: string;
  /** Overrides every consumer's `targetUrl` (env `FORWARD_URL`). */
  readonly forwardUrl?: string;
  /** The built-in sink refuses records whose data has this field set to `true` (env `SINK_REJECT_FIELD`). */
  readonly sinkRejectField?: string;
  /** Where notes and transient errors go. @default console.error */
  readonly log?: (line: string) => void;
  /** Real seconds of the local stream scaler's minute (`--scaler-period-seconds`, stream-scaler.ts). @default 60 */
  readonly scalerPeriodSeconds?: number;
}

/** A running local stack. */
export interface RunningLocalStack {
  readonly url: string;
  readonly status: () => LocalStatus;
  /** Stops everything: server, mappings, proxy, emulators. Resolves within a few seconds. */
  stop(): Promise<void>;
}

/** Starts the local stack. On failure, whatever was started is stopped again before the error is thrown. */
export async function startLocalStack(config: StackConfig, options: LocalStackOptions): Promise<RunningLocalStack> {
  const log = options.log ?? ((line: string) => console.error(line));
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((error: Error) => log(`shutdown: ${error.message}`));
    stoppers.length = 0;
  };
  try {
    let scaler: LocalStreamScaler | undefined; // started once the stream exists; the proxy counts writes for it
    const emulators = await startStackEmulators(config, options, stoppers, (stream, counts) => scaler?.observe(stream, counts));
    const { sqsEmulator, secrets, dynamodbEmulator, eventBus, parameterStore, emulator, stepFunctions, proxy, kinesisEndpoint } = emulators;
    useLocalEndpoints(emulators.awsEnvironment);
    const awsEnvironment = emulators.awsEnvironment;

    const names = stackNames(options.stack, Object.keys(config.consumers));
    const streamName = names.stream;
    const shards = localShardCount(config.stream);
    if (config.stream.mode === "on-demand")
      log(`note: stream.mode is on-demand; the emulators have no on-demand mode, so the local stream has ${shards} shards.`);
    const kinesis = localKinesisClient(kinesisEndpoint);
    const sqs = localSqsClient(sqsEmulator.endpoint);
    const s3 = localS3Client(sqsEmulator.endpoint);
    // fauxqs serves SNS on the same endpoint as SQS.
    const sns = localSnsClient(sqsEmulator.endpoint);
    const eventBridge = localEventBridgeClient(eventBus.endpoint);
    stoppers.push(async () => (kinesis.destroy(), sqs.destroy(), s3.destroy(), sns.destroy(), eventBridge.destroy()));
    const consumers = Object.values(config.consumers);
    for (const parameter of stackParameters(options.stack, consumers)) parameterStore.put(parameter);
    const dynamodb = localDynamoDbClient(dynamodbEmulator.endpoint);
    stoppers.push(async () => dynamodb.destroy());
    const {
      streamArn,
      queues: queueOf,
      tables,
      archiveBucketOf,
    } = await provisionStack(config, names, options.stack, {
      kinesis: localKinesisClient(emulator.endpoint),
      sqs,
      s3,
      dynamodb,
    });
    scaler = await startAutoscaling(config.stream.autoscaling, options, {
      streamName,
      streamArn,
      kinesis,
      dynamodb,
      initialShards: shards,
      log,
    });
    if (scaler) stoppers.push(scaler.stop);
    const dlqUrlOf = (consumer: string) => queueOf.get(consumer)!.url;
    const fanoutTargets = await createFanoutTargets(consumers, { stack: options.stack, sqs, sns, eventBus });

    const secretIds = storeStackSecrets(secrets, names, options.token);
    const sink = new Sink({ rejectField: options.sinkRejectField });
    const server = await startLocalServer({
      port: options.port,
      sink,
      status: () => status(),
      events: () => eventBus.events(),
      executions: () => stepFunctions?.executions() ?? [],
    });
    stoppers.push(() => server.stop());
    const sinkUrl = `${server.url}/_local/sink`;
    const secretsClient = localSecretsManagerClient(secrets.endpoint);
    const targetUrlOf = (c: ConsumerConfig) => options.forwardUrl ?? c.targetUrl ?? sinkUrl;
    const tally = new ConsumerTally(); // what each consumer's summary lines say it did, for the console
    const local = createLocalFunctions(config, {
      stack: options.stack,
      names,
      kinesis,
      secrets: secretsClient,
      dynamodb,
      s3,
      archiveBucketOf,
      sqs,
      sns,
      eventBridge,
      fanoutTargets,
      ...(stepFunctions ? { sfn: stepFunctions.client, stateMachines: stepFunctions.arns } : {}),
      dlqUrlOf,
      targetUrlOf,
      log,
      onConsumerLine: (consumer, line) => tally.line(consumer, line),
      // The local server plays the websocket front's `@connections` endpoint (local/fronts/websocket.ts).
      awsEnvironment: { ...awsEnvironment, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: server.url },
      jwksUrl: `${server.url}${LOCAL_JWKS_PATH}`,
      idempotencyTtlSeconds: idempotencyTtlSeconds(config.stream.retentionHours),
    });
    stoppers.push(() => local.stop());
    await local.start();
    const api = await createLocalApi(config.api, local.ingest, local.authorizer);

    const { mappings, stop: stopConsumerMappings } = startConsumerMappings({
      kinesis,
      sqs,
      streamName,
      streamArn,
      consumers,
      names,
      registry: local.registry,
      dlqUrlOf,
      log,
    });
    stoppers.push(stopConsumerMappings);

    const status = (): LocalStatus => ({
      stack: options.stack,
      kinesisEmulator: options.kinesis,
      limits: options.limits,
      kinesisEndpoint,
      emulatorEndpoint: emulator.endpoint,
      sqsEndpoint: sqsEmulator.endpoint,
      s3Endpoint: sqsEmulator.endpoint,
      archives: Object.fromEntries(
        consumers.filter((c) => c.archive !== undefined).map((c) => [c.name, `s3://${archiveBucketOf(c)}/${c.archive!.prefix}`]),
      ),
      secretsManagerEndpoint: secrets.endpoint,
      secrets: secretIds,
      dynamodbEndpoint: dynamodbEmulator.endpoint,
      eventBridgeEndpoint: eventBus.endpoint,
      parameterStoreEndpoint: parameterStore.endpoint,
      parameters: Object.fromEntries(parameterStore.list().map((p) => [p.name, p.type])),
      tables,
      streamName,
      streamArn,
      shards: scaler?.shards() ?? shards,
      ...(scaler ? { scaling: scaler.status() } : {}),
      functions: local.registry.names(),
      api: localApiStatus(config.api, server.url, api),
      targets: Object.fromEntries(consumers.filter((c) => c.handler === "forwarder").map((c) => [c.name, targetUrlOf(c)])),
      deliveries: Object.fromEntries(consumers.filter((c) => c.handler === "forwarder").map((c) => [c.name, c.delivery])),
      fanoutTargets: Object.fromEntries(fanoutTargets),
      queues: Object.fromEntries(consumers.map((c) => [c.name, queueOf.get(c.name)!.url])),
      consumers: Object.fromEntries([...mappings].map(([name, m]) => [name, m.stats()])),
      sink: sink.counts(),
      ...(proxy ? { throttled: proxy.stats() } : {}),
    });
    const localConsole = createLocalConsole({
      status,
      url: server.url,
      consumers,
      tally,
      registry: local.registry,
      sqs,
      kinesis,
      sink,
      log,
    });
    stoppers.push(async () => localConsole.stop());
    server.attach(local.registry, api, localConsole); // from here on requests are served
    return { url: server.url, status, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
