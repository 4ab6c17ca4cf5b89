/**
 * A consumer's poison-record keys (semantics/poison-records.ts): `poisonRecords` and `maxRecordAttempts` on
 * every kind, their defaults, the rules that tie them to `idempotency`, `maxRetryAttempts` (Lambda attempts a
 * batch at most maxRetryAttempts + 1 times: Lambda guide, "Kinesis event source mapping parameters") and
 * tumbling windows, the variables users may not set, and what they cost of the 4 KB environment.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { consumerEnvironmentBytes, PROGRAM_ENVIRONMENT } from "../../handlers/lib/environment/budget";
import { poisonEnvironment } from "../../handlers/lib/environment/poison";
import { POISON_ENVIRONMENT } from "../../semantics/poison-records";
import { problemsOf } from "./problems";

const MODULE = "./test/fixtures/consumers/echo-environment.ts";
const stack = (handler: string, extra: Record<string, unknown> = {}) => ({ consumers: { c: { handler, ...extra } } });
const settingsOf = (handler: string, extra: Record<string, unknown> = {}) => {
  const { poisonRecords, maxRecordAttempts } = validateStackConfig(stack(handler, extra)).consumers.c!;
  return { poisonRecords, maxRecordAttempts };
};
const KINDS = ["forwarder", "archiver", "sqs", "sns", "eventbridge", MODULE];

describe("config: poison records (poisonRecords, maxRecordAttempts)", () => {
  it("defaults every kind, built-in and users', to isolate after 3 attempts", () => {
    for (const handler of KINDS) expect(settingsOf(handler), handler).to.deep.equal({ poisonRecords: "isolate", maxRecordAttempts: 3 });
  });

  it("keeps the values given on every kind, at their limits", () => {
    for (const handler of KINDS) {
      expect(settingsOf(handler, { poisonRecords: "block", maxRecordAttempts: 1 }), handler).to.deep.equal({
        poisonRecords: "block",
        maxRecordAttempts: 1,
      });
      expect(settingsOf(handler, { maxRecordAttempts: 10_000, maxRetryAttempts: -1 }).maxRecordAttempts, handler).to.equal(10_000);
    }
  });

  it("lowers the default to maxRetryAttempts + 1, so a record is poison before the mapping gives up on its batch", () => {
    expect(
      [0, 1, 2, 3, 9_999, -1].map((maxRetryAttempts) => settingsOf("forwarder", { maxRetryAttempts }).maxRecordAttempts),
    ).to.deep.equal([1, 2, 3, 3, 3, 3]);
  });

  it("accepts maxRecordAttempts up to maxRetryAttempts + 1", () => {
    expect(problemsOf(stack("forwarder", { maxRetryAttempts: 3, maxRecordAttempts: 4 }))).to.deep.equal([]);
    expect(problemsOf(stack(MODULE, { maxRetryAttempts: 0, maxRecordAttempts: 1 }))).to.deep.equal([]);
  });

  it("counts no attempts with idempotency none: isolate stays (permanent failures), maxRecordAttempts is unset", () => {
    expect(settingsOf("forwarder", { idempotency: "none" })).to.deep.equal({ poisonRecords: "isolate", maxRecordAttempts: undefined });
  });

  it("sets neither on a windowed consumer, whose runtime cannot pass a record by", () => {
    expect(settingsOf(MODULE, { tumblingWindowSeconds: 60 })).to.deep.equal({ poisonRecords: undefined, maxRecordAttempts: undefined });
  });

  const rules: [string, Record<string, unknown>, string][] = [
    [
      "a mode that does not exist",
      stack("forwarder", { poisonRecords: "skip" }),
      '`consumers.c.poisonRecords` must be one of isolate, block, got "skip"',
    ],
    [
      "a mode of another type",
      stack("sqs", { poisonRecords: true }),
      "`consumers.c.poisonRecords` must be one of isolate, block, got true",
    ],
    ["0 attempts", stack(MODULE, { maxRecordAttempts: 0 }), "`consumers.c.maxRecordAttempts` must be an integer from 1 to 10000, got 0"],
    [
      "more than 10000 attempts",
      stack("eventbridge", { maxRecordAttempts: 10_001, maxRetryAttempts: -1 }),
      "`consumers.c.maxRecordAttempts` must be an integer from 1 to 10000, got 10001",
    ],
    [
      "attempts as a string",
      stack("sns", { maxRecordAttempts: "3" }),
      '`consumers.c.maxRecordAttempts` must be an integer from 1 to 10000, got "3"',
    ],
    [
      "a fraction of an attempt",
      stack("archiver", { maxRecordAttempts: 2.5 }),
      "`consumers.c.maxRecordAttempts` must be an integer from 1 to 10000, got 2.5",
    ],
    [
      "block without an idempotency store",
      stack("forwarder", { poisonRecords: "block", idempotency: "none" }),
      "`consumers.c.poisonRecords` block needs an idempotency store (block keeps other keys' records going after a failure and skips them when Lambda delivers them again, which takes remembering what completed): set `consumers.c.idempotency` to memory or dynamodb, got none",
    ],
    [
      "maxRecordAttempts without an idempotency store",
      stack(MODULE, { maxRecordAttempts: 5, idempotency: "none" }),
      "`consumers.c.maxRecordAttempts` cannot be set with `consumers.c.idempotency` none (a record's failed attempts are counted where the idempotency store keeps its keys; without one only a permanent failure makes a record poison): remove it or set idempotency to memory or dynamodb, got 5",
    ],
    [
      "more attempts than the mapping makes",
      stack("forwarder", { maxRecordAttempts: 5 }),
      "`consumers.c.maxRecordAttempts` must be at most `consumers.c.maxRetryAttempts` + 1 (4): after 4 attempts the mapping sends the record's whole batch range to the on-failure queue before the runtime would isolate the record; lower it or raise maxRetryAttempts, got 5",
    ],
    [
      "more attempts than a mapping without retries makes",
      stack("sqs", { maxRecordAttempts: 2, maxRetryAttempts: 0 }),
      "`consumers.c.maxRecordAttempts` must be at most `consumers.c.maxRetryAttempts` + 1 (1): after 1 attempts the mapping sends the record's whole batch range to the on-failure queue before the runtime would isolate the record; lower it or raise maxRetryAttempts, got 2",
    ],
    [
      "poisonRecords on a windowed consumer",
      stack(MODULE, { tumblingWindowSeconds: 60, poisonRecords: "isolate" }),
      "`consumers.c.poisonRecords` does not apply to a windowed consumer (`consumers.c.tumblingWindowSeconds` 60): createWindowedConsumer reduces every record into its window's state in order and cannot pass one by (a record whose reduce throws is retried until the mapping's retries or record age run out); remove it, got \"isolate\"",
    ],
    [
      "maxRecordAttempts on a windowed consumer",
      stack(MODULE, { tumblingWindowSeconds: 900, maxRecordAttempts: 2 }),
      "`consumers.c.maxRecordAttempts` does not apply to a windowed consumer (`consumers.c.tumblingWindowSeconds` 900): createWindowedConsumer reduces every record into its window's state in order and cannot pass one by (a record whose reduce throws is retried until the mapping's retries or record age run out); remove it, got 2",
    ],
    [
      "the on-failure queue's variable in a consumer's environment",
      stack(MODULE, { environment: { ON_FAILURE_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/mine" } }),
      `\`consumers.c.environment.ON_FAILURE_QUEUE_URL\` is set by kinesis-ingest itself (${PROGRAM_ENVIRONMENT.join(", ")} and TABLE_<NAME>); choose another name`,
    ],
  ];
  for (const [rule, raw, message] of rules) {
    it(`rejects ${rule}`, () => expect(problemsOf(raw)).to.deep.equal([message]));
  }

  it("reserves the three variables the runtime reads, by the contract's names", () => {
    expect(PROGRAM_ENVIRONMENT.slice(-3)).to.deep.equal([
      POISON_ENVIRONMENT.queueUrl,
      POISON_ENVIRONMENT.mode,
      POISON_ENVIRONMENT.maxAttempts,
    ]);
  });

  it("sets the queue always, the mode and the attempts only when they are not the runtime's defaults", () => {
    expect(poisonEnvironment({ poisonRecords: "isolate", maxRecordAttempts: 3 }, "Q")).to.deep.equal({ ON_FAILURE_QUEUE_URL: "Q" });
    expect(poisonEnvironment({}, "Q")).to.deep.equal({ ON_FAILURE_QUEUE_URL: "Q" });
    expect(poisonEnvironment({ poisonRecords: "block", maxRecordAttempts: 1 }, "Q")).to.deep.equal({
      ON_FAILURE_QUEUE_URL: "Q",
      POISON_RECORDS: "block",
      MAX_RECORD_ATTEMPTS: "1",
    });
  });

  it("keeps room in the 4 KB for the longest queue URL, and for the mode and attempts when they are set", () => {
    // A region of 15 characters, a China endpoint and a queue name of SQS's 80: longer than any URL the program gets.
    const longest = `https://sqs.us-isof-south-1.amazonaws.com.cn/123456789012/${"q".repeat(80)}`;
    const bytes = (env: Record<string, string>) => Object.entries(env).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    const defaults = { handler: MODULE, poisonRecords: "isolate", maxRecordAttempts: 3 } as const;
    expect(consumerEnvironmentBytes(defaults)).to.be.at.least(bytes(poisonEnvironment(defaults, longest)));
    const block = { handler: MODULE, poisonRecords: "block", maxRecordAttempts: 10_000 } as const;
    expect(consumerEnvironmentBytes(block) - consumerEnvironmentBytes(defaults)).to.equal(
      bytes({ POISON_RECORDS: "block", MAX_RECORD_ATTEMPTS: "10000" }),
    );
    expect(consumerEnvironmentBytes(block)).to.be.at.least(bytes(poisonEnvironment(block, longest)));
  });

  it("refuses an environment that only the poison variables push over 4 KB", () => {
    const big = (size: number) => stack(MODULE, { environment: { BIG: "x".repeat(size) } });
    // 4096 - 156 (the config secret's id at its longest) - 163 (the queue's) - 3 ("BIG") fits exactly.
    expect(problemsOf(big(4096 - 156 - 163 - 3))).to.deep.equal([]);
    expect(problemsOf(big(4096 - 156 - 163 - 2))).to.have.length(1);
  });
});
