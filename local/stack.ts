/**
 * The local stack: the dev stack's topology on one machine, from the validated stack configuration —
 * Kinesis emulator (optionally behind the limits proxy), SQS on-failure queues, S3 archive buckets, a local
 * Secrets Manager, the fan-out consumers' queues, topics (fauxqs) and buses (the PutEvents stand-in),
 * the real ingest, authorizer and consumer handlers as local functions, one event source mapping per
 * consumer, and one HTTP server on 127.0.0.1 for the API, the Invoke API, the status page, the sink and
 * the console.
 */
import { idempotencyTtlSeconds } from "../config/defaults";
import { consumerTableName, idempotencyTableName, stackNames, type StackNames } from "../config/names";
import type { ConsumerConfig, StackConfig } from "../config/types";
import {
  LOCAL_REGION,
  localKinesisClient,
  localS3Client,
  localSecretsManagerClient,
  localEventBridgeClient,
  localSnsClient,
  localSqsClient,
  startKinesis,
  startSqs,
  type KinesisEmulatorKind,
  type RunningEmulator,
} from "./emulators";
import { localAwsEnvironment, useLocalEndpoints } from "./aws-environment";
import { createLocalConsole } from "./console";
import { ConsumerTally } from "./console/consumer-tally";
import { startConsumerMappings } from "./consumer-mappings";
import { startEventBus, type LocalEventBus } from "./event-bus";
import { createFanoutTargets } from "./fanout-targets";
import { createStateMachines } from "./state-machines";
import { startLimitsProxy, type RunningLimitsProxy } from "./limits";
import { createIdempotencyTable, createTable, localDynamoDbClient, startDynamoDb } from "./dynamodb";
import { createLocalApi, LOCAL_API_KEY, LOCAL_APPSYNC_API_KEY, LOCAL_IAM_CREDENTIALS, LOCAL_JWKS_PATH } from "./fronts";
import { GRAPHQL_PATH } from "../handlers/lib/appsync-schema";
import { WEBSOCKET_STAGE } from "../handlers/lib/websocket-message";
import { createLocalFunctions } from "./local-functions";
import { onPort, RANDOM_PORTS, type EmulatorPorts } from "./ports";
import { createBucket, createQueue, createStream, localShardCount, type LocalQueue } from "./provision";
import { stackParameters, startParameterStore, type LocalParameterStore } from "./parameter-store";
import { startSecretsEndpoint, type LocalSecretsManager } from "./secrets-endpoint";
import { startLocalServer, type LocalStatus } from "./server";
import { Sink } from "./sink";
import { startAutoscaling, type LocalStreamScaler } from "./stream-scaler";
import { tokenHash } from "../handlers/lib/bearer-token";

/** How the local stack runs. */
export interface LocalStackOptions {
  /** Stack name: the stream is `kinesis-ingest-<stack>`. */
  readonly stack: string;
  /** Port of the HTTP server on 127.0.0.1 (0 = a free one). */
  readonly port: number;
  /** The emulators' ports (ports.ts). @default a free port each */
  readonly emulatorPorts?: EmulatorPorts;
  readonly kinesis: KinesisEmulatorKind;
  /** Put the Kinesis limits proxy in front of the emulator. */
  readonly limits: boolean;
  /** The bearer token the API accepts (when auth is `token`). */
  readonly token: string;
  /** Overrides every consumer's `targetUrl` (env `FORWARD_URL`). */
  readonly forwardUrl?: string;
  /** The built-in sink refuses records whose data has this field set to `true` (env `SINK_REJECT_FIELD`). */
  readonly sinkRejectField?: string;
  /** Where notes and transient errors go. @default console.error */
  readonly log?: (line: string) => void;
  /**
   * The Kinesis emulator, already starting: `npm start` launches it before loading the handlers, so
   * kinesis-local boots on another core meanwhile. @default started here
   */
  readonly kinesisEmulator?: Promise<RunningEmulator>;
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
  const ports = options.emulatorPorts ?? RANDOM_PORTS;
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((error: Error) => log(`shutdown: ${error.message}`));
    stoppers.length = 0;
  };
  // The in-process emulators bind first: kinesis-local is a child process told a free port, and an emulator
  // binding port 0 at the same moment could be handed that same port before the child takes it.
  const inProcess = [
    onPort(ports, "sqs", startSqs).then(track(stoppers)),
    onPort(ports, "secretsManager", startSecretsEndpoint).then(track(stoppers)),
    onPort(ports, "dynamodb", startDynamoDb).then(track(stoppers)),
    onPort(ports, "eventBridge", startEventBus).then(track(stoppers)),
    onPort(ports, "parameterStore", startParameterStore).then(track(stoppers)),
  ] as const;
  try {
    const [sqsEmulator, secrets, dynamodbEmulator, eventBus, parameterStore] = await Promise.all(inProcess);
    const emulator = await (options.kinesisEmulator ?? onPort(ports, "kinesis", (port) => startKinesis(options.kinesis, port))).then(
      track(stoppers),
    );
    const stepFunctions = await createStateMachines(options.stack, Object.values(config.consumers), stoppers);
    let scaler: LocalStreamScaler | undefined; // started once the stream exists; the proxy counts writes for it
    const proxy = options.limits
      ? track(stoppers)(
          await onPort(ports, "limitsProxy", (port) =>
            startLimitsProxy({
              target: emulator.endpoint,
              port,
              maxRecordSizeKiB: config.stream.maxRecordSizeKiB,
              onWrite: (stream, counts) => scaler?.observe(stream, counts),
            }),
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
    useLocalEndpoints(awsEnvironment);

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
    const tables = Object.fromEntries(
      consumers.map((c) => [
        c.name,
        Object.fromEntries(Object.keys(c.tables).map((t) => [t, consumerTableName(options.stack, c.name, t)])),
      ]),
    );
    // As deployed: an archiver writes to its bucketName (created here, as it exists on AWS) or the stack's bucket.
    const archiveBucketOf = (c: ConsumerConfig) => c.archive?.bucketName ?? names.archiveBucket;
    const archivers = consumers.filter((c) => c.archive !== undefined);
    const [streamArn, queues] = await Promise.all([
      createStream(localKinesisClient(emulator.endpoint), streamName, shards, config.stream.maxRecordSizeKiB),
      Promise.all(consumers.map((c) => createQueue(sqs, names.consumers[c.name]!.queue))),
      ...[...new Set(archivers.map(archiveBucketOf))].map((bucket) => createBucket(s3, bucket)),
      ...consumers.flatMap((c) => Object.entries(c.tables).map(([t, spec]) => createTable(dynamodb, tables[c.name]![t]!, spec))),
      ...consumers
        .filter((c) => c.idempotency === "dynamodb")
        .map((c) => createIdempotencyTable(dynamodb, idempotencyTableName(options.stack, c.name))),
    ]);
    scaler = await startAutoscaling(config.stream.autoscaling, options, {
      streamName,
      streamArn,
      kinesis,
      dynamodb,
      initialShards: shards,
      log,
    });
    if (scaler) stoppers.push(scaler.stop);
    const queueOf = new Map<string, LocalQueue>(consumers.map((c, i) => [c.name, queues[i]!]));
    const dlqUrlOf = (consumer: string) => queueOf.get(consumer)!.url;
    const fanoutTargets = await createFanoutTargets(consumers, { stack: options.stack, sqs, sns, eventBus });

    const secretIds = storeSecrets(secrets, names, options.token);
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
      archives: Object.fromEntries(archivers.map((c) => [c.name, `s3://${archiveBucketOf(c)}/${c.archive!.prefix}`])),
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
      api: {
        front: config.api.front,
        auth: config.api.auth,
        ...(config.api.front === "rest-api" ? { apiKey: LOCAL_API_KEY } : {}),
        ...(config.api.front === "appsync" ? { graphqlUrl: `${server.url}${GRAPHQL_PATH}` } : {}),
        ...(config.api.front === "appsync" && config.api.auth === "none" ? { apiKey: LOCAL_APPSYNC_API_KEY } : {}),
        ...(config.api.front === "websocket" ? { websocketUrl: `${server.url.replace(/^http/, "ws")}/${WEBSOCKET_STAGE}` } : {}),
        ...(config.api.auth === "iam" ? { iamCredentials: { ...LOCAL_IAM_CREDENTIALS, region: LOCAL_REGION } } : {}),
        ...(api.jwt
          ? { jwt: { issuer: api.jwt.issuer, jwksUrl: `${server.url}/_local/jwks.json`, tokensUrl: `${server.url}/_local/tokens` } }
          : {}),
      },
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
    await Promise.allSettled(inProcess); // each one still starting is tracked once started, then stopped
    await stopAll();
    throw error;
  }
}

/**
 * The secrets the stack's ConfigSecrets would hold: the API token hashes and each consumer's (empty) config.
 * Returns their ids.
 */
function storeSecrets(secrets: LocalSecretsManager, names: StackNames, token: string): string[] {
  secrets.put(names.localApiTokensSecret, { tokenHashes: [tokenHash(token)] });
  for (const consumer of Object.values(names.consumers)) secrets.put(consumer.localConfigSecret, {});
  return [names.localApiTokensSecret, ...Object.values(names.consumers).map((consumer) => consumer.localConfigSecret)];
}

/** Registers a started component's `stop` so a failure later in start-up (or shutdown) stops it. */
function track(stoppers: Array<() => Promise<void>>) {
  return <T extends RunningEmulator | RunningLimitsProxy | LocalSecretsManager | LocalEventBus | LocalParameterStore>(running: T): T => {
    stoppers.push(() => running.stop());
    return running;
  };
}
