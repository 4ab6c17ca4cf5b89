/**
 * The plan of poison-record isolation (semantics/poison-records.ts): every consumer function gets its own
 * on-failure queue's URL, and the mode and attempts only when they are not the runtime's defaults; its role
 * may send to that queue alone, and needs no KMS grant for it (the queue's key is the AWS managed
 * `alias/aws/sqs`, whose key policy admits the account's principals that may use SQS: SQS guide, "Key
 * management").
 */
import { expect } from "chai";
import { POISON_ENVIRONMENT } from "../../semantics/poison-records";
import { named, runProgram, type RecordedResource } from "./harness";

const MODULE = "./examples/order-totals/consumer.ts";
const ACCOUNT = "123456789012";
const dlqUrl = (consumer: string) => `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/kinesis-ingest-dev-${consumer}-dlq`;

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
}

function variablesOf(resources: readonly RecordedResource[], consumer: string): Record<string, string> {
  const fn = named(resources, "aws:lambda/function:Function", `consumer-${consumer}-fn-function`);
  return (fn.inputs.environment as { variables: Record<string, string> }).variables;
}

/** The variables of the contract a function got, by name. */
function poisonVariablesOf(resources: readonly RecordedResource[], consumer: string): Record<string, string> {
  const names: readonly string[] = Object.values(POISON_ENVIRONMENT);
  return Object.fromEntries(Object.entries(variablesOf(resources, consumer)).filter(([name]) => names.includes(name)));
}

function statementsOf(resources: readonly RecordedResource[], consumer: string): Statement[] {
  const policy = named(resources, "aws:iam/rolePolicy:RolePolicy", `consumer-${consumer}-fn-policy`);
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement;
}

describe("program: poison records", () => {
  let defaults: RecordedResource[];
  let chosen: RecordedResource[];
  before(async () => {
    defaults = await runProgram(
      {
        consumers: {
          forwarder: { handler: "forwarder", targetUrl: "https://example.com/events" },
          orders: { handler: MODULE },
          windowed: { handler: MODULE, tumblingWindowSeconds: 60 },
          queue: { handler: "sqs" },
        },
      },
      { stack: "dev" },
    );
    chosen = await runProgram(
      {
        consumers: {
          forwarder: { handler: "forwarder", targetUrl: "https://example.com/events", poisonRecords: "block", maxRecordAttempts: 2 },
          orders: { handler: MODULE, maxRetryAttempts: 0, idempotency: "dynamodb" },
          unstored: { handler: MODULE, idempotency: "none" },
        },
      },
      { stack: "dev" },
    );
  });

  it("gives every consumer function its own on-failure queue's URL, and no more with the defaults", () => {
    for (const consumer of ["forwarder", "orders", "windowed", "queue"]) {
      expect(poisonVariablesOf(defaults, consumer), consumer).to.deep.equal({ ON_FAILURE_QUEUE_URL: dlqUrl(consumer) });
    }
  });

  it("forwarder: passes block and the attempts chosen", () => {
    expect(poisonVariablesOf(chosen, "forwarder")).to.deep.equal({
      ON_FAILURE_QUEUE_URL: dlqUrl("forwarder"),
      POISON_RECORDS: "block",
      MAX_RECORD_ATTEMPTS: "2",
    });
  });

  it("user module: passes the attempts lowered to the mapping's (maxRetryAttempts 0: 1 attempt), next to its store's variables", () => {
    expect(poisonVariablesOf(chosen, "orders")).to.deep.equal({ ON_FAILURE_QUEUE_URL: dlqUrl("orders"), MAX_RECORD_ATTEMPTS: "1" });
    expect(variablesOf(chosen, "orders")).to.include({ IDEMPOTENCY: "dynamodb" });
  });

  it("idempotency none: the queue only (attempts are not counted without a store)", () => {
    expect(poisonVariablesOf(chosen, "unstored")).to.deep.equal({ ON_FAILURE_QUEUE_URL: dlqUrl("unstored") });
  });

  it("lets each role send to its own queue alone, with sqs:SendMessage and no KMS grant", () => {
    for (const consumer of ["forwarder", "orders", "windowed", "queue"]) {
      const statements = statementsOf(defaults, consumer);
      expect(
        statements.filter((s) => s.Resource.some((r) => r.includes("-dlq"))),
        consumer,
      ).to.deep.equal([
        {
          Sid: "SendToOnFailureQueue",
          Effect: "Allow",
          Action: ["sqs:SendMessage"],
          Resource: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:kinesis-ingest-dev-${consumer}-dlq`],
        },
      ]);
      expect(
        statements.flatMap((s) => s.Action).filter((a) => a.startsWith("kms:")),
        consumer,
      ).to.deep.equal([]);
    }
    expect(named(defaults, "aws:sqs/queue:Queue", "consumer-forwarder-dlq").inputs.kmsMasterKeyId).to.equal("alias/aws/sqs");
  });
});
