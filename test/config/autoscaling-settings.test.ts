/**
 * `stream.autoscaling` (config/autoscaling-settings.ts): its defaults, ranges, the initial count within the bounds,
 * UpdateShardCount's 10,000-shard ceiling, the Region's default shard quota as a warning, provisioned only. And
 * `stream.maxRecordSizeKiB` / `stream.warmThroughputMiBps` (config/record-size-settings.ts): a record no hop of
 * the stack can carry is refused, naming the limit.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

const stream = (s: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({ stream: s, ...rest });

describe("stream.autoscaling", () => {
  it("fills in the defaults: min 1, target 0.7, cooldowns 5 and 60 minutes; off when absent", () => {
    expect(validateStackConfig(stream({ shards: 2, autoscaling: { maxShards: 8 } })).stream.autoscaling).to.deep.equal({
      minShards: 1,
      maxShards: 8,
      targetUtilization: 0.7,
      scaleOutCooldownMinutes: 5,
      scaleInCooldownMinutes: 60,
    });
    expect(validateStackConfig(stream({ shards: 2 })).stream.autoscaling).to.equal(undefined);
  });

  it("requires maxShards, at most UpdateShardCount's 10,000", () => {
    expect(problemsOf(stream({ autoscaling: {} }))).to.deep.equal([
      "`stream.autoscaling.maxShards` is required: the most shards the scaler may make (at most 10000)",
    ]);
    expect(problemsOf(stream({ autoscaling: { maxShards: 10_001 } }))).to.deep.equal([
      "`stream.autoscaling.maxShards` must be an integer from 1 to 10000, got 10001",
    ]);
  });

  it("keeps min ≤ shards ≤ max: shards is the initial count", () => {
    expect(problemsOf(stream({ shards: 2, autoscaling: { minShards: 4, maxShards: 3 } }))).to.deep.equal([
      "`stream.autoscaling.minShards` (4) must be at most `maxShards` (3)",
    ]);
    expect(problemsOf(stream({ shards: 10, autoscaling: { minShards: 2, maxShards: 8 } }))).to.deep.equal([
      "`stream.shards` (10), the stream's initial count, must lie within `stream.autoscaling`'s 2–8",
    ]);
  });

  it("takes targetUtilization as a fraction in (0, 1], not a percentage", () => {
    for (const bad of [0, 70, 1.01, "0.7"])
      expect(problemsOf(stream({ autoscaling: { maxShards: 4, targetUtilization: bad } }))).to.deep.equal([
        `\`stream.autoscaling.targetUtilization\` must be a fraction of each shard's write limits above 0 and at most 1 (0.7 is 70%), got ${JSON.stringify(bad)}`,
      ]);
    expect(
      validateStackConfig(stream({ autoscaling: { maxShards: 4, targetUtilization: 1 } })).stream.autoscaling?.targetUtilization,
    ).to.equal(1);
  });

  it("bounds the cooldowns to a day and refuses unknown keys", () => {
    expect(problemsOf(stream({ autoscaling: { maxShards: 4, scaleInCooldownMinutes: 1441, scaleOutCoolDown: 1 } }))).to.deep.equal([
      "`stream.autoscaling.scaleOutCoolDown` is not a known setting; known settings: minShards, maxShards, targetUtilization, scaleOutCooldownMinutes, scaleInCooldownMinutes",
      "`stream.autoscaling.scaleInCooldownMinutes` must be an integer from 0 to 1440, got 1441",
    ]);
  });

  it("applies to provisioned streams only", () => {
    expect(problemsOf(stream({ mode: "on-demand", autoscaling: { maxShards: 4 } }))).to.deep.equal([
      "`stream.autoscaling` applies only to provisioned streams (AWS scales on-demand ones): remove it or set `stream.mode` to provisioned",
    ]);
  });

  it("warns of a maxShards above the Region's default shard quota", () => {
    const warnings: string[] = [];
    validateStackConfig(stream({ autoscaling: { maxShards: 2000 } }), undefined, { region: "eu-central-1", warn: (w) => warnings.push(w) });
    expect(warnings).to.deep.equal([
      "`stream.autoscaling.maxShards` (2000) is above the default shard quota of eu-central-1 (1000 for the account): `kinesis-ingest doctor` checks the account's own",
    ]);
  });

  it("checks the scaler's function name against Lambda's 64 characters, for the stack name", () => {
    const stack = "a".repeat(36);
    expect(() => validateStackConfig(stream({ autoscaling: { maxShards: 4 } }), undefined, { stack })).to.throw(
      `names the stream scaler function \`kinesis-ingest-${stack}-stream-scaler\``,
    );
    expect(() => validateStackConfig(stream({}), undefined, { stack })).not.to.throw();
  });

  it("refuses a consumer that would take the scaler's function name", () => {
    const raw = stream(
      { autoscaling: { maxShards: 4 } },
      { consumers: { "stream-scaler": { handler: "forwarder", targetUrl: "https://example.com/in" } } },
    );
    expect(problemsOf(raw)).to.include(
      "`consumers.stream-scaler` would take the stream scaler's function name while `stream.autoscaling` is on: rename the consumer",
    );
  });
});

describe("stream.maxRecordSizeKiB and stream.warmThroughputMiBps", () => {
  it("defaults to 1 MiB and takes 1024–10240 KiB", () => {
    expect(validateStackConfig({}).stream.maxRecordSizeKiB).to.equal(1024);
    expect(problemsOf(stream({ maxRecordSizeKiB: 10_241 }))).to.deep.equal([
      "`stream.maxRecordSizeKiB` must be an integer from 1024 to 10240, got 10241",
    ]);
  });

  it("refuses a record Lambda's 6 MB invocation payload cannot carry in base64", () => {
    expect(problemsOf(stream({ maxRecordSizeKiB: 5120 }))).to.deep.equal([
      "`stream.maxRecordSizeKiB` (5120) allows records the stack cannot carry: the largest is 4606 KiB (Lambda's 6 MB invocation payload, which carries a record base64-encoded to the ingest function and to consumers); lower it to at most 4606",
    ]);
    expect(validateStackConfig(stream({ maxRecordSizeKiB: 4606 })).stream.maxRecordSizeKiB).to.equal(4606);
  });

  it("refuses more than the ALB's 1 MB body", () => {
    expect(problemsOf(stream({ maxRecordSizeKiB: 2048 }, { api: { front: "alb", auth: "none" } }))).to.deep.equal([
      "`stream.maxRecordSizeKiB` (2048) allows records the stack cannot carry: the largest is 1024 KiB (the ALB's 1 MB request body to a Lambda target); lower it to at most 1024",
    ]);
  });

  it("takes warm throughput on on-demand streams only, up to the Region's on-demand ceiling", () => {
    expect(validateStackConfig(stream({ mode: "on-demand", warmThroughputMiBps: 100 })).stream.warmThroughputMiBps).to.equal(100);
    expect(problemsOf(stream({ warmThroughputMiBps: 100 }))).to.deep.equal([
      "`stream.warmThroughputMiBps` applies only to on-demand streams (On-demand Advantage's warm throughput): remove it or set `stream.mode` to on-demand",
    ]);
    expect(() =>
      validateStackConfig(stream({ mode: "on-demand", warmThroughputMiBps: 201 }), undefined, { region: "eu-central-1" }),
    ).to.throw("`stream.warmThroughputMiBps` must be an integer from 1 to 200, got 201");
  });
});
