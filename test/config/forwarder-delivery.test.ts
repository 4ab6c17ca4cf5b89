import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

const forwarder = (extra: Record<string, unknown>) => ({ consumers: { archiver: { handler: "forwarder", ...extra } } });
const custom = (extra: Record<string, unknown>) => ({
  consumers: { totals: { handler: "./test/fixtures/consumers/echo-environment.ts", ...extra } },
});

describe("config: the forwarder's delivery (delivery, maxBatchRecords, maxBatchBytes)", () => {
  it("defaults to record delivery, with no batch bounds", () => {
    const { archiver } = validateStackConfig(forwarder({})).consumers;
    expect([archiver!.delivery, archiver!.maxBatchRecords, archiver!.maxBatchBytes]).to.deep.equal(["record", undefined, undefined]);
  });

  it("fills the batch bounds' defaults with delivery batch: 500 records and 2 MiB", () => {
    const { archiver } = validateStackConfig(forwarder({ delivery: "batch" })).consumers;
    expect([archiver!.delivery, archiver!.maxBatchRecords, archiver!.maxBatchBytes]).to.deep.equal(["batch", 500, 2_097_152]);
  });

  it("keeps the bounds given at their limits: 1 record, and 6 MiB (Lambda quotas: the 6 MB invocation payload)", () => {
    const { archiver } = validateStackConfig(forwarder({ delivery: "batch", maxBatchRecords: 1, maxBatchBytes: 6_291_456 })).consumers;
    expect([archiver!.maxBatchRecords, archiver!.maxBatchBytes]).to.deep.equal([1, 6_291_456]);
  });

  const rules: [string, Record<string, unknown>, string][] = [
    [
      "a delivery mode that does not exist",
      forwarder({ delivery: "stream" }),
      '`consumers.archiver.delivery` must be one of record, batch, got "stream"',
    ],
    [
      "more than 500 records a request",
      forwarder({ delivery: "batch", maxBatchRecords: 501 }),
      "`consumers.archiver.maxBatchRecords` must be an integer from 1 to 500, got 501",
    ],
    [
      "0 records a request",
      forwarder({ delivery: "batch", maxBatchRecords: 0 }),
      "`consumers.archiver.maxBatchRecords` must be an integer from 1 to 500, got 0",
    ],
    [
      "a record bound given as a string",
      forwarder({ delivery: "batch", maxBatchRecords: "100" }),
      '`consumers.archiver.maxBatchRecords` must be an integer from 1 to 500, got "100"',
    ],
    [
      "more than 6 MiB a request (Lambda quotas: the 6 MB invocation payload)",
      forwarder({ delivery: "batch", maxBatchBytes: 6_291_457 }),
      "`consumers.archiver.maxBatchBytes` must be an integer from 1024 to 6291456, got 6291457",
    ],
    [
      "fewer than 1024 bytes a request",
      forwarder({ delivery: "batch", maxBatchBytes: 1023 }),
      "`consumers.archiver.maxBatchBytes` must be an integer from 1024 to 6291456, got 1023",
    ],
    [
      "maxBatchRecords with record delivery",
      forwarder({ maxBatchRecords: 100 }),
      "`consumers.archiver.maxBatchRecords` applies only with `consumers.archiver.delivery` batch; remove it or set `consumers.archiver.delivery` to batch",
    ],
    [
      "maxBatchBytes with delivery record spelt out",
      forwarder({ delivery: "record", maxBatchBytes: 4096 }),
      "`consumers.archiver.maxBatchBytes` applies only with `consumers.archiver.delivery` batch; remove it or set `consumers.archiver.delivery` to batch",
    ],
    [
      "delivery on a consumer of the user's module",
      custom({ delivery: "batch" }),
      '`consumers.totals.delivery` applies only to handler forwarder; "./test/fixtures/consumers/echo-environment.ts" does not read it',
    ],
    [
      "maxBatchBytes on a consumer of the user's module",
      custom({ maxBatchBytes: 4096 }),
      '`consumers.totals.maxBatchBytes` applies only to handler forwarder; "./test/fixtures/consumers/echo-environment.ts" does not read it',
    ],
  ];
  for (const [name, raw, message] of rules) {
    it(`refuses ${name}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("reports every delivery problem at once", () => {
    expect(problemsOf(forwarder({ delivery: "batch", maxBatchRecords: 0, maxBatchBytes: 10 }))).to.deep.equal([
      "`consumers.archiver.maxBatchRecords` must be an integer from 1 to 500, got 0",
      "`consumers.archiver.maxBatchBytes` must be an integer from 1024 to 6291456, got 10",
    ]);
  });

  it("refuses the variables the program sets for batch delivery in a consumer's environment", () => {
    const problems = problemsOf(forwarder({ environment: { DELIVERY: "batch", MAX_BATCH_BYTES: "1" } }));
    expect(problems.map((p) => p.split("`")[1])).to.deep.equal([
      "consumers.archiver.environment.DELIVERY",
      "consumers.archiver.environment.MAX_BATCH_BYTES",
    ]);
  });
});
