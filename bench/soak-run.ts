/**
 * One run of the effectively-once soak (`bench/effectively-once.bench.ts`): RECORDS
 * records over KEYS partition keys written to a fresh one-shard stream; a first pass through the real
 * forwarder by the local event source mapping engine, the downstream answering 503 to a share of deliveries;
 * then ONE redrive of the on-failure queue with the downstream steady (still refusing the refused records),
 * through `runRedrive` and `functionTarget` as `redrive --to-function` runs them, invoking the same warm
 * forwarder over the Invoke API; and what is left (lost-records.ts).
 *
 * The forwarder's on-failure destination is the queue the mapping writes Lambda's range records to, as on
 * AWS (the runtime's ON_FAILURE_QUEUE_URL is the mapping's destination), so the redrive meets both kinds.
 */
import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createForwarderHandler } from "../handlers/forwarder";
import type { IdempotencyMode } from "../handlers/lib/idempotency/store";
import { LOCAL_REGION } from "../local/emulators";
import { EventSourceMapping } from "../local/esm";
import { createStream } from "../local/provision";
import { runRedrive } from "../replay/redrive";
import { redriveFunctionTargets } from "../replay/targets/function-target";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";
import { countedStore } from "./counted-store";
import type { FlakyDownstream } from "./flaky-downstream";
import { startInvokeEndpoint } from "./local-invoke";
import { benchMappingSettings, localArns, MappingDeadlineError, runToCheckpoint } from "./local-mapping";
import { endState, type EndState } from "./lost-records";

export const RECORDS = 10_000;
export const KEYS = 50;
/** Every 200th record is refused for good (HTTP 400 on every delivery): 0.5%, 50 records. */
export const isRefused = (n: number): boolean => n % 200 === 199;
/** The first pass's bound; a run past it is reported unfinished, not measured. */
const FIRST_PASS_DEADLINE_MS = 60_000;

/** What every run shares: the emulators' clients, the downstream, the forwarder's secret. */
export interface SoakEnvironment {
  readonly kinesis: KinesisClient;
  readonly sqs: SQSClient;
  readonly secrets: SecretsManagerClient;
  readonly secretId: string;
  readonly dynamodbEndpoint: string;
  readonly downstream: FlakyDownstream;
}

/** One run's figures; `unfinished` when the first pass missed its deadline (nothing else was measured). */
export type SoakResult =
  | { readonly rate: number; readonly mode: IdempotencyMode; readonly unfinished: true }
  | (EndState & {
      readonly rate: number;
      readonly mode: IdempotencyMode;
      readonly unfinished: false;
      /** Good records delivered per second in the first pass. */
      readonly perSecond: number;
      /** One-record on-failure records the runtime wrote in the first pass. */
      readonly isolated: number;
      /** Records inside the ranges of the mapping's (Lambda's) on-failure records of the first pass. */
      readonly rangeRecords: number;
      /** Accepted deliveries of a record the downstream had accepted before, first pass and redrive. */
      readonly duplicates: number;
      readonly redriveMs: number;
      readonly getCallsPerRecord: number;
      readonly itemsWrittenPerRecord: number;
    });

let runs = 0;

/** Runs the soak once at downstream 503 `rate` with the `mode` idempotency store. */
export async function soakRun(env: SoakEnvironment, rate: number, mode: IdempotencyMode): Promise<SoakResult> {
  const { kinesis, sqs, downstream } = env;
  const name = `effectively-once-${++runs}`;
  await createStream(kinesis, name, 1);
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const sequenceOf = await writeRecords(kinesis, name);

  const counted = await countedStore(mode, env.dynamodbEndpoint, `${name}.idempotency`);
  let isolated = 0;
  const forwarder = createForwarderHandler({
    secretId: env.secretId,
    targetUrl: downstream.url,
    secrets: env.secrets,
    requestTimeoutMs: 5_000,
    consumer: {
      idempotency: counted.store,
      writeLine: () => undefined,
      onFailureDestination: async (body) => {
        isolated++;
        return (await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))).MessageId!;
      },
    },
  });
  const endpoint = await startInvokeEndpoint(name, forwarder);
  try {
    downstream.reset(rate, 13);
    const mapping = new EventSourceMapping({
      kinesis,
      sqs,
      streamName: name,
      consumer: benchMappingSettings(100),
      dlqUrl: queueUrl,
      ...localArns(name, name),
      invoke: (event, { requestId }) => endpoint.fn.invoke(event, requestId),
      pollIntervalMs: 20,
      retryBaseDelayMs: 1,
    });
    let elapsedMs: number;
    try {
      elapsedMs = await runToCheckpoint(mapping, String(sequenceOf.at(-1)), name, FIRST_PASS_DEADLINE_MS);
    } catch (error) {
      if (error instanceof MappingDeadlineError) return { rate, mode, unfinished: true };
      throw error;
    }
    const firstPass = { delivered: downstream.accepted().size, isolated, rangeRecords: mapping.stats().dlqRecords };
    // The store's cost is the first pass's: the redrive's calls would blur it.
    const getCalls = counted.calls.get("BatchGetItemCommand") ?? 0;
    const itemsWritten = counted.calls.get("BatchWriteItemCommand:items") ?? 0;

    downstream.steady();
    const redriveStarted = Date.now();
    await runRedrive({
      sqs,
      kinesis,
      queueUrl,
      waitSeconds: 0,
      targetFor: redriveFunctionTargets({ lambda: endpoint.lambda, functionName: name, region: LOCAL_REGION }),
    });
    const redriveMs = Date.now() - redriveStarted;

    const accepted = downstream.accepted();
    const deliveries = [...accepted.values()].reduce((sum, c) => sum + c, 0);
    return {
      rate,
      mode,
      unfinished: false,
      ...(await endState(sqs, queueUrl, sequenceOf, accepted, isRefused)),
      ...firstPass,
      perSecond: (firstPass.delivered / elapsedMs) * 1000,
      duplicates: deliveries - accepted.size,
      redriveMs,
      getCallsPerRecord: getCalls / RECORDS,
      itemsWrittenPerRecord: itemsWritten / RECORDS,
    };
  } finally {
    await endpoint.stop();
    counted.close();
  }
}

/** Writes the RECORDS records (`{"n":…}`, keys in turn); their sequence numbers by `n`. */
async function writeRecords(kinesis: KinesisClient, streamName: string): Promise<bigint[]> {
  const sequenceOf: bigint[] = [];
  for (let i = 0; i < RECORDS; i += MAX_PUT_RECORDS_COUNT) {
    const chunk = Array.from({ length: Math.min(MAX_PUT_RECORDS_COUNT, RECORDS - i) }, (_, j) => ({
      PartitionKey: `key-${(i + j) % KEYS}`,
      Data: Buffer.from(JSON.stringify({ n: i + j, padding: "x".repeat(64) })),
    }));
    const written = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: chunk }));
    for (const entry of written.Records ?? []) sequenceOf.push(BigInt(entry.SequenceNumber!));
  }
  return sequenceOf;
}
