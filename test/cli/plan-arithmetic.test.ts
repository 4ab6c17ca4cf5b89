/**
 * The capacity planner's arithmetic against cases computed by hand from the documented limits
 * (semantics/limits.ts: writes 1 MiB/s and 1,000 records/s a shard, reads 2 MiB/s) and the us-east-1 prices
 * of semantics/kinesis-pricing.ts (shard-hour $0.015, $0.014 a million PUT payload units of 25 KB, enhanced
 * fan-out $0.015 a consumer-shard-hour and $0.013/GB; On-demand Standard $0.04 a stream-hour, $0.08/GB in,
 * $0.04/GB out, $0.05/GB out by enhanced fan-out). A month is 730 h = 2,628,000 s; 1 GB = 2^30 bytes.
 */
import { expect } from "chai";
import { batchByPayload, consumerSettings, eventEntryBytes } from "../../capacity/consumers";
import { planCapacity, type CapacityPlan } from "../../capacity/plan";
import { checkStack, type StackCapacity } from "../../capacity/stack-check";
import type { Readers, Traffic } from "../../capacity/types";
import { KINESIS_PRICES } from "../../semantics/kinesis-pricing";

const NOW = new Date("2026-12-07T12:00:00Z");
const prices = KINESIS_PRICES["us-east-1"]!;

function plan(traffic: Traffic, readers: Readers, recordMs?: number): CapacityPlan {
  return planCapacity({ traffic, readers, region: "us-east-1", prices, recordMs, timeoutSeconds: 30, now: NOW });
}

describe("capacity plan arithmetic (hand-computed)", () => {
  it("5,000 records/s (peak 8,000) of 2,048 bytes, two shared consumers", () => {
    const p = plan({ rate: 5000, peak: 8000, recordBytes: 2048 }, { consumers: 2, efo: false });
    // Writes: 8,000 × 2,048 = 16,384,000 B/s ÷ 1,048,576 = 15.625 → 16 shards; records 8,000 ÷ 1,000 = 8.
    // Reads: 16,384,000 × 2 readers ÷ 2,097,152 = 15.625 → 16. Aggregated: bytes only → 16.
    expect(p.provisioned).to.include({ shards: 16, aggregatedShards: 16 });
    expect(p.provisioned.shardsFor).to.deep.equal({ writeBytes: 16, writeRecords: 8, reads: 16 });
    // 16 × 730 = 11,680 shard-hours × $0.015 = $175.20.
    // ⌈2,048 ÷ 25,600⌉ = 1 unit a record; 5,000 × 2,628,000 = 13,140 million units × $0.014 = $183.96. Sum $359.16.
    expect(p.provisioned.monthlyUsd).to.equal(359.16);
    // Aggregated: ⌊1,048,576 ÷ 2,048⌋ = 512 records an aggregate of 1,048,576 B = ⌈40.96⌉ = 41 units;
    // 5,000 ÷ 512 × 41 = 400.390625 units/s × 2,628,000 = 1,052.2265625 million × $0.014 = $14.73; + $175.20 = $189.93.
    expect(p.provisioned.aggregatedMonthlyUsd).to.equal(189.93);
    // On-demand: 730 × $0.04 = $29.20; in: 2,048 B is 2 KB already: 5,000 × 2,048 × 2,628,000 ÷ 2^30
    // = 25,062.561 GB × $0.08 = $2,005.0049; out: twice that GB × $0.04 = $2,005.0049. Sum $4,039.21.
    expect(p.onDemandStandard.monthlyUsd).to.equal(4039.21);
    expect(p.onDemandStandard.peakWriteMiBps).to.equal(15.625);
    // Advantage: not priced; its per-GB charges at most 40% of Standard's: 0.4 × $4,010.0098 = $1,604.00.
    expect(p.onDemandAdvantage.monthlyUsd).to.equal(null);
    expect(p.onDemandAdvantage.usageAtMostUsd).to.equal(1604);
    // A key: at most min(1,000, 1,048,576 ÷ 2,048 = 512) = 512 records/s = 6.4% of the 8,000 peak.
    expect(p.warnings.join("\n")).to.include("no key may carry more than 6.4% of the peak");
  });

  it("2,500 records/s of 100 bytes, three enhanced fan-out consumers", () => {
    const p = plan({ rate: 2500, peak: 2500, recordBytes: 100 }, { consumers: 3, efo: true });
    // Records 2,500 ÷ 1,000 → 3 shards; bytes 250,000 B/s → 1; reads: each consumer its own 2 MiB/s → 1.
    expect(p.provisioned).to.include({ shards: 3, aggregatedShards: 1 });
    // 3 × 730 × $0.015 = $32.85; 2,500 × 2,628,000 = 6,570 million units × $0.014 = $91.98;
    // 3 consumers × 3 shards × 730 = 6,570 consumer-shard-hours × $0.015 = $98.55;
    // 3 × 2,500 × 100 × 2,628,000 ÷ 2^30 = 1,835.6378 GB × $0.013 = $23.8633. Sum $247.2433.
    expect(p.provisioned.monthlyUsd).to.equal(247.24);
    // Aggregated, 1 shard: $10.95; ⌊1,048,576 ÷ 100⌋ = 10,485 records = 1,048,500 B = 41 units an aggregate:
    // 2,500 ÷ 10,485 × 41 × 2,628,000 = 25.691 million units × $0.014 = $0.3597; 3 × 1 × 730 × $0.015 = $32.85;
    // retrieval as above $23.8633. Sum $68.0230.
    expect(p.provisioned.aggregatedMonthlyUsd).to.equal(68.02);
    // On-demand: $29.20; in: 100 B → 1 KB: 2,500 × 1,024 × 2,628,000 ÷ 2^30 = 6,265.6402 GB × $0.08 = $501.2512;
    // out by enhanced fan-out: 1,835.6378 GB × $0.05 = $91.7819. Sum $622.2331.
    expect(p.onDemandStandard.monthlyUsd).to.equal(622.23);
    // Advantage bound: 0.4 × ($501.2512 + $91.7819) = $237.2132.
    expect(p.onDemandAdvantage.usageAtMostUsd).to.equal(237.21);
    // A key: 1,000 records/s (100-byte records are far from 1 MiB/s) = 40% of 2,500.
    expect(p.warnings.join("\n")).to.include("no key may carry more than 40% of the peak");
  });

  it('large records ("Handle large records"): 2 records/s of 3,000,000 bytes', () => {
    const p = plan({ rate: 2, peak: 2, recordBytes: 3_000_000 }, { consumers: 1, efo: false });
    // Writes: 6,000,000 B/s ÷ 1,048,576 = 5.72 → 6 shards: a shard's 1 MiB/s is unchanged for large records.
    expect(p.provisioned.shards).to.equal(6);
    // ⌈3,000,000 ÷ 1,024⌉ = 2,930 KiB of maxRecordSizeKiB; 3,000,000 × 4/3 = 4,000,000 B of base64 fit Lambda's payload.
    expect(p.warnings.filter((w) => w.startsWith("large records"))).to.have.length(1);
    expect(p.warnings.join("\n")).to.include("needs `stream.maxRecordSizeKiB` of at least 2,930").and.include("under 2% of the traffic");
    // 5,000,000 bytes: 6,666,668 of base64, past the 6 MB payload: no consumer can be handed one.
    const huge = plan({ rate: 1, peak: 1, recordBytes: 5_000_000 }, { consumers: 1, efo: false });
    expect(huge.warnings.join("\n"))
      .to.include("no Lambda consumer can be handed a record over 4.5 MiB")
      .and.not.include("6 MB invoke payload:");
  });

  it("says how old each dated price is, and that the undated one has no date", () => {
    const sources = plan({ rate: 1, peak: 1, recordBytes: 1 }, { consumers: 1, efo: false }).prices.sources;
    // 2023-09-21 to 2026-09-21: 366 + 365 + 365 = 1,096 days (2024 is a leap year); to 2026-12-07: 9 + 31 + 30 + 7 = 77. 1,173.
    expect(sources.find((s) => s.date === "2023-09-21")?.daysOld).to.equal(1173);
    expect(sources.filter((s) => !s.dated).map((s) => s.daysOld)).to.deep.equal([null]);
  });
});

describe("consumer settings (hand-computed)", () => {
  it("picks the smallest parallelization factor that keeps up, and Lambda concurrency = shards × factor", () => {
    // 12,000 records/s of 100 bytes: 12 shards (records), 1,000 a shard. At 25 ms a record the runtime's 10 keys
    // at once make 10 × 1,000 ÷ 25 = 400 records/s an invocation: ⌈1,000 ÷ 400⌉ = 3.
    const p = plan({ rate: 12_000, peak: 12_000, recordBytes: 100 }, { consumers: 2, efo: false }, 25);
    expect(p.consumers).to.include({ parallelizationFactor: 3, lambdaConcurrency: 36, totalLambdaConcurrency: 72, keepsUp: true });
    // Half the 30 s timeout: ⌊15,000 ÷ 25⌋ = 600 records a key lane × 10 lanes = 6,000.
    expect(p.consumers.maxBatchByTimeout).to.equal(6000);
    // The payload binds first: a 100-byte record's entry, every field at its longest, is about 1.1 KB.
    expect(p.consumers.maxBatchByPayload).to.equal(batchByPayload(100)).and.be.below(6000);
    expect(p.consumers.batchSize).to.equal(batchByPayload(100));
  });

  it("falls behind when factor 10 is not enough, and names the shards that would do", () => {
    // At 200 ms: 10 × 1,000 ÷ 200 = 50 records/s an invocation; 1,000 a shard needs 20 > 10.
    // 12,000 ÷ (50 × 10) = 24 shards.
    const s = consumerSettings({
      traffic: { rate: 12_000, peak: 12_000, recordBytes: 100 },
      shards: 12,
      recordMs: 200,
      timeoutSeconds: 30,
    });
    expect(s).to.include({ parallelizationFactor: 10, keepsUp: false, shardsToKeepUp: 24 });
  });

  it("keeps a batch within the 6 MB payload, each entry as Lambda writes it", () => {
    // 1,000 more bytes of data add ⌈1,000 ÷ 3⌉ × 4 = 1,336 base64 characters to the entry.
    expect(eventEntryBytes(1000) - eventEntryBytes(0)).to.equal(1336);
    // 6,291,456 bytes less `{"Records":[]}` (14), over the entry and its comma.
    expect(batchByPayload(1000)).to.equal(Math.floor((6_291_456 - 14) / (eventEntryBytes(1000) + 1)));
    // 1 MiB records: ⌈1,048,576 ÷ 3⌉ × 4 = 1,398,104 characters: 4 fit in 6,291,456 bytes, 5 do not.
    expect(batchByPayload(1_048_576)).to.equal(4);
  });

  it("without a record time gives the payload's batch ceiling and factor 1, and judges nothing", () => {
    const s = consumerSettings({ traffic: { rate: 100, peak: 100, recordBytes: 100 }, shards: 1, timeoutSeconds: 30 });
    expect(s).to.include({ parallelizationFactor: 1, batchSize: batchByPayload(100), lambdaConcurrency: 1, keepsUp: null });
  });
});

describe("a stack against a traffic", () => {
  const stack = (shards: number, factor: number): StackCapacity => ({
    name: "t",
    mode: "provisioned",
    shards,
    maxRecordSizeKiB: 1024,
    consumers: [
      { name: "a", fanOut: false, parallelizationFactor: factor, batchSize: 100, timeoutSeconds: 30, enabled: true },
      { name: "paused", fanOut: false, parallelizationFactor: 1, batchSize: 100, timeoutSeconds: 30, enabled: false },
    ],
  });
  // 3,000 records/s of 1,024 bytes: 3,072,000 B/s → 3 shards (2.93), 3 for records; 20 ms a record →
  // 10 × 1,000 ÷ 20 = 500 records/s an invocation, and 1,000 a shard at 3 shards → factor 2.
  const traffic = { rate: 3000, peak: 3000, recordBytes: 1024 };

  it("keeps up with 3 shards and factor 2; the paused consumer is not judged", () => {
    const verdict = checkStack(stack(3, 2), traffic, "us-east-1", 20);
    expect(verdict.keepsUp).to.equal(true);
    expect(verdict.consumers.map((c) => c.keepsUp)).to.deep.equal([true, null]);
  });

  it("does not with 2 shards, nor with factor 1", () => {
    expect(checkStack(stack(2, 2), traffic, "us-east-1", 20).stream.keepsUp).to.equal(false);
    const slow = checkStack(stack(3, 1), traffic, "us-east-1", 20);
    expect(slow.keepsUp).to.equal(false);
    expect(slow.consumers[0]!.detail.join("\n")).to.include("needs parallelizationFactor 2");
  });

  it("fails a stream whose maxRecordSizeKiB refuses the records, naming the size to raise it to", () => {
    const large = { rate: 1, peak: 1, recordBytes: 2_000_000 };
    const refused = checkStack(stack(2, 1), large, "us-east-1");
    expect([refused.keepsUp, refused.stream.detail[0]]).to.deep.equal([
      false,
      "stream.maxRecordSizeKiB 1024 refuses records of 2000000 bytes: raise it to at least 1954",
    ]);
    expect(checkStack({ ...stack(2, 1), maxRecordSizeKiB: 1954 }, large, "us-east-1").stream.keepsUp).to.equal(true);
  });

  it("fails a batch that cannot finish within the timeout", () => {
    // 100 records at 5 s each over 10 lanes: 10 × 5 s = 50 s > 30 s.
    const verdict = checkStack(stack(30, 10), { rate: 1, peak: 1, recordBytes: 10 }, "us-east-1", 5000);
    expect(verdict.consumers[0]!.keepsUp).to.equal(false);
    expect(verdict.consumers[0]!.detail.join("\n")).to.include("takes about 50 s of its 30 s timeout: it times out");
  });
});
