/**
 * Event source mapping engine benchmarks, against kinesalite and fauxqs on 127.0.0.1 (`npx tsx bench/esm.bench.ts`):
 * 1. Isolating one poison record in a batch of 100: invocations and redeliveries with ReportBatchItemFailures
 *    (and bisect) side by side with bisect alone (target: ≤ 2 invocations, no record before the poison redelivered).
 * 2. A consumer taking 20 ms a record: parallelization factor 4 vs 1 (target: ≥ 3.5× the records/s).
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import type { KinesisStreamEvent } from "aws-lambda";
import { localKinesisClient, localSqsClient, startKinesalite, startSqs } from "../local/emulators";
import { localArns, runToCheckpoint } from "./local-mapping";
import { EventSourceMapping, type InvokeResult, type MappingSettings } from "../local/esm";
import { sleep } from "../semantics/backoff";
import { settings } from "../test/local/esm/harness";
import { MAX_PUT_RECORDS_COUNT } from "../semantics/limits";

/** The test harness's mapping settings, with no retries: each scenario sets what it measures. */
const BASE: MappingSettings = settings({ maxRetryAttempts: 0 });

async function main(): Promise<void> {
  const kinesalite = await startKinesalite();
  const fauxqs = await startSqs();
  const kinesis = localKinesisClient(kinesalite.endpoint);
  const sqs = localSqsClient(fauxqs.endpoint);
  let streams = 0;

  /** Writes `data` (in order) to a new one-shard stream and runs a mapping over it until every record is checkpointed. */
  async function run(
    data: ReadonlyArray<{ key: string; data: string }>,
    consumer: MappingSettings,
    reportBatchItemFailures: boolean,
    handle: (records: string[], sequenceNumbers: string[]) => Promise<InvokeResult>,
  ): Promise<{ calls: Array<{ records: string[]; startedAt: number; endedAt: number }>; mapping: EventSourceMapping }> {
    const streamName = `esm-bench-${++streams}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    while (
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus !== "ACTIVE"
    )
      await sleep(10);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${streamName}-dlq` }));
    let lastSequenceNumber: string | undefined;
    for (let i = 0; i < data.length; i += MAX_PUT_RECORDS_COUNT) {
      const chunk = data.slice(i, i + MAX_PUT_RECORDS_COUNT).map((r) => ({ PartitionKey: r.key, Data: Buffer.from(r.data) }));
      const written = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: chunk }));
      lastSequenceNumber = written.Records?.[written.Records.length - 1]?.SequenceNumber;
    }
    const calls: Array<{ records: string[]; startedAt: number; endedAt: number }> = [];
    const mapping = new EventSourceMapping({
      kinesis,
      sqs,
      streamName,
      ...localArns(streamName, "bench"),
      consumer,
      dlqUrl: QueueUrl,
      reportBatchItemFailures,
      pollIntervalMs: 20,
      retryBaseDelayMs: 1,
      invoke: async (event: KinesisStreamEvent) => {
        const records = event.Records.map((r) => Buffer.from(r.kinesis.data, "base64").toString());
        const startedAt = Date.now();
        const result = await handle(
          records,
          event.Records.map((r) => r.kinesis.sequenceNumber),
        );
        calls.push({ records, startedAt, endedAt: Date.now() });
        return result;
      },
    });
    await runToCheckpoint(mapping, lastSequenceNumber, streamName, 60_000);
    return { calls, mapping };
  }

  console.log("== Isolating one poison record in a batch of 100 (MaximumRetryAttempts 0)");
  console.log(
    "scenario                              poison@  isolated-after  invocations  deliveries  redeliveries  redelivered-before-poison  discarded",
  );
  const scenarios = [
    { name: "ReportBatchItemFailures + bisect", rbif: true, bisect: true },
    { name: "bisect alone", rbif: false, bisect: true },
    { name: "ReportBatchItemFailures alone", rbif: true, bisect: false },
  ];
  const isolation = new Map<string, number[]>();
  for (const poison of [0, 37, 99]) {
    for (const scenario of scenarios) {
      const data = Array.from({ length: 100 }, (_, i) => ({ key: `key-${i}`, data: i === poison ? "poison" : String(i) }));
      const { calls, mapping } = await run(
        data,
        { ...BASE, bisectOnError: scenario.bisect },
        scenario.rbif,
        async (records, sequenceNumbers) => {
          const at = records.indexOf("poison");
          if (at < 0) return {};
          // A partial-batch function processes every record and reports the one it could not handle.
          return scenario.rbif
            ? { payload: { batchItemFailures: [{ itemIdentifier: sequenceNumbers[at] }] } }
            : { functionError: "Unhandled" };
        },
      );
      const counts = new Map<string, number>();
      for (const record of calls.flatMap((c) => c.records)) counts.set(record, (counts.get(record) ?? 0) + 1);
      const deliveries = calls.reduce((n, c) => n + c.records.length, 0);
      const redeliveredBefore = data.slice(0, poison).reduce((n, r) => n + Math.max(0, (counts.get(r.data) ?? 0) - 1), 0);
      const isolatedAfter = calls.map((c) => c.records.includes("poison")).lastIndexOf(true) + 1;
      isolation.set(scenario.name, [...(isolation.get(scenario.name) ?? []), isolatedAfter]);
      console.log(
        [
          scenario.name.padEnd(37),
          String(poison).padStart(7),
          String(isolatedAfter).padStart(15),
          String(calls.length).padStart(12),
          String(deliveries).padStart(11),
          String(deliveries - counts.size).padStart(13),
          String(redeliveredBefore).padStart(26),
          String(mapping.stats().dlqRecords).padStart(10),
        ].join(" "),
      );
    }
  }
  const rbifWorst = Math.max(...(isolation.get("ReportBatchItemFailures + bisect") ?? []));
  const bisectWorst = Math.max(...(isolation.get("bisect alone") ?? []));
  console.log(
    "isolated-after: invocations up to the poison's last delivery; discarded: records its on-failure record covers (1 = the poison alone)",
  );
  console.log(
    `worst invocations to isolate: ReportBatchItemFailures + bisect ${rbifWorst} (target ≤ 2), bisect alone ${bisectWorst}; ratio ${(bisectWorst / rbifWorst).toFixed(1)}×`,
  );

  console.log("\n== A consumer taking 20 ms a record: 400 records, 200 partition keys, batch size 10");
  const throughput = new Map<number, number>();
  for (const factor of [1, 4]) {
    const data = Array.from({ length: 400 }, (_, i) => ({ key: `key-${i % 200}`, data: String(i) }));
    const { calls } = await run(
      data,
      { ...BASE, batchSize: 10, parallelizationFactor: factor },
      true,
      async (records) => (await sleep(20 * records.length), {}),
    );
    const elapsedMs = Math.max(...calls.map((c) => c.endedAt)) - Math.min(...calls.map((c) => c.startedAt));
    const perSecond = (400 / elapsedMs) * 1000;
    throughput.set(factor, perSecond);
    console.log(`parallelization factor ${factor}: ${calls.length} invocations, ${elapsedMs} ms, ${perSecond.toFixed(1)} records/s`);
  }
  const ratio = (throughput.get(4) ?? 0) / (throughput.get(1) ?? 1);
  console.log(`factor 4 / factor 1: ${ratio.toFixed(2)}× the records/s (target ≥ 3.5×: ${ratio >= 3.5 ? "met" : "MISSED"})`);

  kinesis.destroy();
  sqs.destroy();
  await Promise.all([kinesalite.stop(), fauxqs.stop()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
