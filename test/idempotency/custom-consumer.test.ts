/**
 * A custom consumer module on the local stack gets its idempotency store as deployed: `dynamodb` reaches its
 * worker as `IDEMPOTENCY`, `IDEMPOTENCY_TABLE` and `IDEMPOTENCY_TTL_SECONDS`, its table exists on dynalite,
 * and the runtime inside the module skips a batch delivered again (the module would fail a record seen twice).
 */
import { expect } from "chai";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { validateStackConfig } from "../../config";
import { localDynamoDbClient } from "../../local/dynamodb";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";
import { eventOf, keyOf } from "./support";

describe("local stack: a custom consumer with idempotency dynamodb", function () {
  this.timeout(60_000);
  let stack: RunningLocalStack;
  let lambda: LambdaClient;

  before(async () => {
    const config = validateStackConfig({
      consumers: {
        echo: { handler: "./test/fixtures/consumers/echo-environment.ts", idempotency: "dynamodb" },
        once: { handler: "./test/fixtures/consumers/once-only.ts", idempotency: "dynamodb" },
        plain: { handler: "./test/fixtures/consumers/echo-environment.ts", idempotency: "none" },
      },
    });
    stack = await startLocalStack(config, {
      stack: "idem",
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: "idempotency-test-token-0001",
      log: () => undefined,
    });
    lambda = new LambdaClient({
      endpoint: stack.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  after(async () => {
    lambda?.destroy();
    if (stack) await stack.stop();
  });

  const invoke = async (name: string, event: unknown) => {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));
    return { error: answer.FunctionError, payload: JSON.parse(Buffer.from(answer.Payload!).toString()) as Record<string, unknown> };
  };

  it("passes the store's variables to the module as the program sets them (IDEMPOTENCY=none alone for none)", async () => {
    const echo = (await invoke("echo", { Records: [] })).payload.environment as Record<string, string>;
    expect(echo).to.deep.include({
      IDEMPOTENCY: "dynamodb",
      IDEMPOTENCY_TABLE: "kinesis-ingest-idem-echo.idempotency",
      IDEMPOTENCY_TTL_SECONDS: String(25 * 3600),
    });
    const plain = (await invoke("plain", { Records: [] })).payload.environment as Record<string, string>;
    expect(Object.keys(plain).filter((k) => k.startsWith("IDEMPOTENCY"))).to.deep.equal(["IDEMPOTENCY"]);
    expect(plain.IDEMPOTENCY).to.equal("none");
  });

  it("the module's runtime records completions in the table on dynalite and acknowledges the same batch again without processing it", async () => {
    const event = eventOf([
      ["a", "a0"],
      ["b", "b1"],
    ]);
    expect(await invoke("once", event)).to.deep.equal({ error: undefined, payload: { batchItemFailures: [] } });
    expect(await invoke("once", event)).to.deep.equal({ error: undefined, payload: { batchItemFailures: [] } });
    const dynamodb = localDynamoDbClient(stack.status().dynamodbEndpoint);
    try {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: "kinesis-ingest-idem-once.idempotency" }));
      expect(Items.map((item) => item.id!.S).sort()).to.deep.equal([keyOf(1), keyOf(2)]);
    } finally {
      dynamodb.destroy();
    }
  });
});
