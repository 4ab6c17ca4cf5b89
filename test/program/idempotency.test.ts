/**
 * The plan of a consumer's idempotency store: `dynamodb` adds one on-demand, encrypted table with TTL on
 * `expiresAt` (DynamoDB "Time to Live (TTL)"), the variables that point the runtime at it, and a statement
 * for exactly BatchGetItem and BatchWriteItem on it; `none` sets one variable; `memory` (the default)
 * changes nothing.
 */
import { expect } from "chai";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { named, ofType, runProgram, type RecordedResource } from "./harness";

const TABLE = "kinesis-ingest-dev-forwarder.idempotency";

function forwarder(extra: Record<string, unknown>, stream: Record<string, unknown> = {}): Record<string, unknown> {
  return { stream, consumers: { forwarder: { handler: "forwarder", targetUrl: "https://example.com/events", ...extra } } };
}

function variablesOf(resources: readonly RecordedResource[]): Record<string, unknown> {
  return (
    named(resources, "aws:lambda/function:Function", "consumer-forwarder-fn-function").inputs.environment as {
      variables: Record<string, unknown>;
    }
  ).variables;
}

function statementsOf(resources: readonly RecordedResource[]): Array<{ Sid: string; Action: string[]; Resource: string[] }> {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", "consumer-forwarder-fn-policy");
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Array<{ Sid: string; Action: string[]; Resource: string[] }> })
    .Statement;
}

describe("program: a consumer's idempotency store", () => {
  let dynamodb: RecordedResource[];
  before(async () => (dynamodb = await runProgram(forwarder({ idempotency: "dynamodb" }, { retentionHours: 168 }), { stack: "dev" })));

  it("dynamodb: one on-demand, encrypted table keyed by id with TTL on expiresAt", () => {
    expect(ofType(dynamodb, "aws:dynamodb/table:Table").map((t) => [t.name, t.inputs])).to.deep.equal([
      [
        "consumer-forwarder-idempotency-table",
        {
          name: TABLE,
          billingMode: "PAY_PER_REQUEST",
          hashKey: "id",
          attributes: [{ name: "id", type: "S" }],
          serverSideEncryption: { enabled: true },
          pointInTimeRecovery: { enabled: false },
          ttl: { attributeName: "expiresAt", enabled: true },
        },
      ],
    ]);
  });

  it("dynamodb: the function gets the table and a TTL of the stream's retention plus 1 h (a replay within retention is covered)", () => {
    expect(variablesOf(dynamodb)).to.deep.include({
      IDEMPOTENCY: "dynamodb",
      IDEMPOTENCY_TABLE: TABLE,
      IDEMPOTENCY_TTL_SECONDS: String(168 * 3600 + 3600),
    });
  });

  it("dynamodb: the role may BatchGetItem and BatchWriteItem on that table and nothing else of DynamoDB", () => {
    const dynamo = statementsOf(dynamodb).filter((s) => s.Action.some((a) => a.startsWith("dynamodb:")));
    expect(dynamo.map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
      [
        "IdempotencyStore",
        ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
        [`arn:aws:dynamodb:eu-west-1:123456789012:table/${TABLE}`],
      ],
    ]);
  });

  it("dynamodb: passes every policy of the pack", async () => {
    expect(await evaluatePolicies(dynamodb, policies)).to.deep.equal([]);
  });

  it("none: sets IDEMPOTENCY=none and creates no table", async () => {
    const resources = await runProgram(forwarder({ idempotency: "none" }), { stack: "dev" });
    expect(ofType(resources, "aws:dynamodb/table:Table")).to.deep.equal([]);
    expect(Object.keys(variablesOf(resources)).filter((k) => k.startsWith("IDEMPOTENCY"))).to.deep.equal(["IDEMPOTENCY"]);
    expect(variablesOf(resources).IDEMPOTENCY).to.equal("none");
  });

  it("memory (the default, and when set): no table, no variable, no statement beyond the consumer's own", async () => {
    for (const extra of [{}, { idempotency: "memory" }]) {
      const resources = await runProgram(forwarder(extra), { stack: "dev" });
      expect(ofType(resources, "aws:dynamodb/table:Table")).to.deep.equal([]);
      expect(Object.keys(variablesOf(resources)).filter((k) => k.startsWith("IDEMPOTENCY"))).to.deep.equal([]);
      expect(statementsOf(resources).map((s) => s.Sid)).to.deep.equal([
        "WriteOwnLogs",
        "XRayTraces",
        "ReadStream",
        "SendToOnFailureQueue",
        "ReadSecretConfig",
      ]);
    }
  });
});
