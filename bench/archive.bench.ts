/**
 * The archive (`npx tsx bench/archive.bench.ts`): archived records/s and stored bytes per record, gzip and
 * none, against the forwarder in record mode (one HTTP POST per record) on the same stream, side by side in
 * one run. Driven in-process like bench/effectively-once.bench.ts: the local event source mapping engine on
 * kinesalite, fauxqs as the on-failure queue and as S3, the real handlers. Every mode reads the same
 * 5,000 records (JSON of about 150 bytes, 50 keys) with the same mapping (batch 100, no window); the archiver
 * also with batch 1000, as the stack files set it. Each cell runs REPEATS times interleaved; records/s is
 * the best run (the 2-core machine is shared).
 */
import { PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createArchiverHandler } from "../handlers/archiver";
import { createForwarderHandler } from "../handlers/forwarder";
import type { KinesisConsumerHandler } from "../handlers/lib/consumer";
import {
  localKinesisClient,
  localS3Client,
  localSecretsManagerClient,
  localSqsClient,
  startKinesalite,
  startSqs,
} from "../local/emulators";
import { createStream } from "../local/provision";
import { benchMappingSettings, localArns, runToCheckpoint } from "./local-mapping";
import { EventSourceMapping } from "../local/esm";
import { startSecretsEndpoint } from "../local/secrets-endpoint";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";

const RECORDS = 5_000;
const KEYS = 50;
const REPEATS = 2;
const RUN_DEADLINE_MS = 45_000;

type Mode = "forwarder (record)" | "archiver gzip" | "archiver none" | "archiver gzip, batch 1000";
const MODES: readonly Mode[] = ["forwarder (record)", "archiver gzip", "archiver none", "archiver gzip, batch 1000"];

interface RunResult {
  readonly perSecond: number;
  /** Object bytes per record; 0 for the forwarder. */
  readonly storedBytesPerRecord: number;
  readonly objects: number;
}

async function main(): Promise<void> {
  const [kinesalite, fauxqs, secrets] = await Promise.all([startKinesalite(), startSqs(), startSecretsEndpoint()]);
  const kinesis = localKinesisClient(kinesalite.endpoint);
  const sqs = localSqsClient(fauxqs.endpoint);
  const s3 = localS3Client(fauxqs.endpoint);
  const secretsClient = localSecretsManagerClient(secrets.endpoint);
  secrets.put("bench-forwarder-config", {});
  let delivered = 0;
  const downstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      delivered++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  downstream.listen(0, "127.0.0.1");
  await once(downstream, "listening");
  const targetUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/events`;

  // One stream holds the records every run reads from TRIM_HORIZON.
  const streamName = "archive-bench";
  await createStream(kinesis, streamName, 1);
  let last = "";
  let dataBytes = 0;
  for (let i = 0; i < RECORDS; i += MAX_PUT_RECORDS_COUNT) {
    const chunk = Array.from({ length: Math.min(MAX_PUT_RECORDS_COUNT, RECORDS - i) }, (_, j) => {
      const n = i + j;
      const data = Buffer.from(JSON.stringify({ n, orderId: `order-${n * 7919}`, amount: (n % 997) * 1.25, padding: "x".repeat(64) }));
      dataBytes += data.length;
      return { PartitionKey: `key-${n % KEYS}`, Data: data };
    });
    const written = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: chunk }));
    last = written.Records!.at(-1)!.SequenceNumber!;
  }

  let runs = 0;
  const run = async (mode: Mode): Promise<RunResult> => {
    const name = `archive-bench-${++runs}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const quiet = { idempotency: "none" as const, writeLine: () => undefined };
    const handler: KinesisConsumerHandler =
      mode === "forwarder (record)"
        ? createForwarderHandler({ secretId: "bench-forwarder-config", targetUrl, secrets: secretsClient, consumer: quiet })
        : createArchiverHandler({
            bucket: name,
            prefix: "bench/",
            compression: mode === "archiver none" ? "none" : "gzip",
            s3,
            kinesis,
            consumer: quiet,
          });
    delivered = 0;
    const mapping = new EventSourceMapping({
      kinesis,
      sqs,
      streamName,
      consumer: benchMappingSettings(mode.endsWith("batch 1000") ? 1000 : 100),
      dlqUrl: QueueUrl,
      ...localArns(streamName, name),
      invoke: async (event, { requestId }) => ({ payload: await handler(event, { awsRequestId: requestId } as never) }),
      pollIntervalMs: 20,
      retryBaseDelayMs: 1,
    });
    const elapsedMs = await runToCheckpoint(mapping, last, `${name} (${mode})`, RUN_DEADLINE_MS);
    let stored = 0;
    let objects = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: name, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        stored += object.Size ?? 0;
        objects++;
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    if (mode === "forwarder (record)" && delivered !== RECORDS) throw new Error(`forwarder delivered ${delivered} of ${RECORDS}`);
    return { perSecond: (RECORDS / elapsedMs) * 1000, storedBytesPerRecord: stored / RECORDS, objects };
  };

  const best = new Map<Mode, RunResult>();
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const mode of MODES) {
      const result = await run(mode);
      const previous = best.get(mode);
      if (previous === undefined || result.perSecond > previous.perSecond) best.set(mode, result);
    }
  }
  const forwarder = best.get("forwarder (record)")!.perSecond;
  console.log(`${RECORDS} records of ${(dataBytes / RECORDS).toFixed(0)} data bytes on average, ${KEYS} keys, best of ${REPEATS} runs`);
  console.log("| mode | records/s | vs forwarder | objects | stored bytes/record |");
  console.log("|---|---|---|---|---|");
  for (const mode of MODES) {
    const r = best.get(mode)!;
    const stored = mode === "forwarder (record)" ? "—" : r.storedBytesPerRecord.toFixed(1);
    console.log(`| ${mode} | ${r.perSecond.toFixed(0)} | ${(r.perSecond / forwarder).toFixed(2)}× | ${r.objects} | ${stored} |`);
  }

  downstream.closeAllConnections();
  downstream.close();
  kinesis.destroy();
  sqs.destroy();
  s3.destroy();
  await Promise.all([kinesalite.stop(), fauxqs.stop(), secrets.stop()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
