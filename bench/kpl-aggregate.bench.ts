/**
 * KPL aggregation: the client's `AggregateBuilder` against `aws-kinesis-agg`'s `RecordAggregator`
 * (`npx tsx bench/kpl-aggregate.bench.ts`), to decide whether the hand-written encoder earns its place.
 * Both pack the same 20,000 user records (~70-byte JSON, 50 partition keys) into aggregates of at most
 * 1 MiB, checking each record fits before adding it, as the producer does.
 *
 * Printed per encoder: CPU µs per user record (median over interleaved rounds) and aggregates built; and,
 * for the library, how many of its aggregates exceed Kinesis' 1 MiB record limit once the outer partition
 * key is counted (Kinesis counts the key toward the record: docs/aws-semantics.md#kinesis-data-streams-limits).
 */
import { AggregateBuilder } from "../client/kpl-aggregate";
import { MAX_RECORD_BYTES } from "../semantics/limits";

// RecordAggregator is exported by aws-kinesis-agg but missing from its type declarations.
const { RecordAggregator } = require("aws-kinesis-agg") as {
  RecordAggregator: new () => {
    checkIfUserRecordFits(record: { partitionKey: string; data: Buffer }): boolean;
    addUserRecord(record: { partitionKey: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer };
    length(): number;
  };
};

const RECORDS = 20_000;
const ROUNDS = 7;
const records = Array.from({ length: RECORDS }, (_, i) => ({
  partitionKey: `customer-${String(i % 50).padStart(4, "0")}`,
  data: Buffer.from(
    JSON.stringify({ orderId: `ord-${1_000_000 + i}`, amount: (i % 997) * 1.25, items: ["a", "b"], at: 1_700_000_000 + i }),
  ),
}));
// 300-byte records under 250-character keys fill an aggregate to within a record of 1 MiB, where the two
// limits differ by the outer key's length.
const large = Array.from({ length: 20_000 }, (_, i) => ({
  partitionKey: `${"k".repeat(248)}-${i % 7}`,
  data: Buffer.alloc(300 + (i % 17), i % 251),
}));

type Aggregate = { partitionKey: string; data: Buffer };

function withBuilder(input: typeof records): Aggregate[] {
  const out: Aggregate[] = [];
  let builder = new AggregateBuilder();
  for (const record of input) {
    if (!builder.fits(record)) {
      out.push(builder.build());
      builder = new AggregateBuilder();
    }
    builder.add(record);
  }
  if (builder.count > 0) out.push(builder.build());
  return out;
}

function withLibrary(input: typeof records): Aggregate[] {
  const out: Aggregate[] = [];
  const aggregator = new RecordAggregator();
  for (const record of input) {
    if (!aggregator.checkIfUserRecordFits(record)) out.push(aggregator.build());
    aggregator.addUserRecord(record);
  }
  if (aggregator.length() > 0) out.push(aggregator.build());
  return out;
}

function cpuMicros(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

const median = (xs: number[]): number => {
  const middle = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (middle === undefined) throw new Error("median: no values");
  return middle;
};
const oversize = (aggregates: Aggregate[]): number =>
  aggregates.filter((a) => a.data.length + Buffer.byteLength(a.partitionKey) > MAX_RECORD_BYTES).length;

withBuilder(records);
withLibrary(records);
const times = { builder: [] as number[], library: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  times.builder.push(cpuMicros(() => withBuilder(records)) / RECORDS);
  times.library.push(cpuMicros(() => withLibrary(records)) / RECORDS);
}
const builder = median(times.builder);
const library = median(times.library);
console.log(`small records (${RECORDS}):`);
console.log(`  AggregateBuilder        ${builder.toFixed(2)} µs/record, ${withBuilder(records).length} aggregates`);
console.log(
  `  aws-kinesis-agg         ${library.toFixed(2)} µs/record, ${withLibrary(records).length} aggregates  (${(library / builder).toFixed(2)}× the builder)`,
);
console.log(`near the limit (${large.length} × ~300 B, 250-character keys): aggregates over 1 MiB with their key:`);
console.log(`  AggregateBuilder        ${oversize(withBuilder(large))} of ${withBuilder(large).length}`);
console.log(`  aws-kinesis-agg         ${oversize(withLibrary(large))} of ${withLibrary(large).length}`);
