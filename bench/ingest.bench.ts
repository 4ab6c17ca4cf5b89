/**
 * Ingest handler CPU time per record vs a bare `JSON.parse` of the same body (target ≤ 3×).
 *
 * The handler runs end to end — event normalisation, content type, parse, validation, key derivation,
 * PutRecords entries, result mapping, response serialisation — against an in-memory Kinesis client that
 * answers at once, so only our CPU is measured (no network, no SDK serialisation). Its log line goes to a
 * no-op writer. CPU time is `process.cpuUsage()` (user + system); each figure is the median of several
 * rounds, the two sides measured alternately in the same run.
 *
 *   npx tsx bench/ingest.bench.ts
 */
import type { KinesisClient, PutRecordsCommand, PutRecordsResultEntry } from "@aws-sdk/client-kinesis";
import { createIngestHandler } from "../handlers/ingest";
import { createLogger } from "../handlers/lib/log";
import { httpApiEvent, lambdaContext } from "../test/handlers/support/http-events";

const ROUNDS = 9;
const TARGET_RATIO = 3;
/** Each round runs for about this long per side, whatever the body size. */
const ROUND_BUDGET_MS = 300;

/** A Kinesis client that stores nothing and answers every entry as stored, from a prepared array. */
function inMemoryKinesis(): KinesisClient {
  const answers: PutRecordsResultEntry[] = Array.from({ length: 500 }, (_, i) => ({
    SequenceNumber: `4960${i}`,
    ShardId: "shardId-000000000000",
  }));
  return {
    send: async (command: PutRecordsCommand) => ({
      FailedRecordCount: 0,
      Records: answers.slice(0, command.input.Records?.length ?? 0),
      $metadata: {},
    }),
  } as unknown as KinesisClient;
}

interface Workload {
  readonly name: string;
  readonly records: number;
  readonly body: string;
}

function workloads(): Workload[] {
  const event = (i: number) => ({
    eventId: `evt-${i}`,
    type: "order.created",
    occurredAt: "2025-03-12T19:03:58.123Z",
    customer: { id: `c-${i % 97}`, tier: "gold", country: "DE" },
    lines: [
      { sku: "SKU-1042", qty: 2, price: 19.99 },
      { sku: "SKU-2210", qty: 1, price: 5.5 },
    ],
    total: 45.48,
  });
  const make = (name: string, records: unknown[]): Workload => ({ name, records: records.length, body: JSON.stringify({ records }) });
  return [
    make(
      "500 JSON events (~250 B) with keys",
      Array.from({ length: 500 }, (_, i) => ({ partitionKey: `customer-${i % 97}`, data: event(i) })),
    ),
    make(
      "500 JSON events (~250 B), derived keys",
      Array.from({ length: 500 }, (_, i) => ({ data: event(i) })),
    ),
    make(
      "100 JSON events (~2.5 KB) with keys",
      Array.from({ length: 100 }, (_, i) => ({ partitionKey: `k${i}`, data: Array.from({ length: 10 }, (_, j) => event(i * 10 + j)) })),
    ),
    make(
      "200 base64 records (1 KiB)",
      Array.from({ length: 200 }, (_, i) => ({ partitionKey: `k${i}`, dataBase64: Buffer.alloc(1024, i).toString("base64") })),
    ),
    make(
      "10 tiny JSON records",
      Array.from({ length: 10 }, (_, i) => ({ data: { i } })),
    ),
  ];
}

/** CPU microseconds per call of `run`, over as many calls as fit in the round budget. */
async function cpuPerCall(run: () => unknown, calls: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error("median: no values");
  return middle;
}

async function main(): Promise<void> {
  const handler = createIngestHandler({
    streamName: "bench",
    kinesis: inMemoryKinesis(),
    logger: createLogger({ service: "ingest", write: () => undefined }),
  });
  const context = lambdaContext(60_000);
  console.log(`ingest handler CPU per record vs JSON.parse of the same body (median of ${ROUNDS} rounds; target ≤ ${TARGET_RATIO}×)`);
  console.log(
    [
      "workload".padEnd(40),
      "body".padStart(9),
      "handler µs/req".padStart(15),
      "handler µs/rec".padStart(15),
      "parse µs/rec".padStart(13),
      "ratio".padStart(7),
    ].join(" "),
  );
  const over: string[] = [];
  for (const workload of workloads()) {
    const event = httpApiEvent({ body: workload.body, headers: { "content-type": "application/json" } });
    const check = await handler(event, context);
    if (check.statusCode !== 200) throw new Error(`${workload.name}: handler answered ${check.statusCode}: ${check.body}`);

    // Calibrate the number of calls per round on the handler, warm both sides up.
    const probe = await cpuPerCall(() => handler(event, context), 20);
    const calls = Math.max(5, Math.round((ROUND_BUDGET_MS * 1000) / probe));
    await cpuPerCall(() => JSON.parse(workload.body), calls);

    const handlerRounds: number[] = [];
    const parseRounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      handlerRounds.push(await cpuPerCall(() => handler(event, context), calls));
      parseRounds.push(await cpuPerCall(() => JSON.parse(workload.body), calls));
    }
    const handlerPerRecord = median(handlerRounds) / workload.records;
    const parsePerRecord = median(parseRounds) / workload.records;
    const ratio = handlerPerRecord / parsePerRecord;
    if (ratio > TARGET_RATIO) over.push(workload.name);
    console.log(
      [
        workload.name.padEnd(40),
        `${(workload.body.length / 1024).toFixed(0)} KiB`.padStart(9),
        median(handlerRounds).toFixed(0).padStart(15),
        handlerPerRecord.toFixed(2).padStart(15),
        parsePerRecord.toFixed(2).padStart(13),
        `${ratio.toFixed(2)}×`.padStart(7),
      ].join(" "),
    );
  }
  console.log(over.length === 0 ? `all within the ${TARGET_RATIO}× target` : `ABOVE the ${TARGET_RATIO}× target: ${over.join("; ")}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
