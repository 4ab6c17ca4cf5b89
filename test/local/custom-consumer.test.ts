/**
 * A user's consumer module on the local stack: it runs in its own execution environment with exactly the
 * variables the program would give it (its `environment`, `TABLE_<NAME>`, its secret's id) plus the local
 * AWS endpoints; a module that throws while loading, or exports no `handler`, stops the stack naming the
 * consumer as the plan does; and a call that runs past the function's timeout is stopped, as Lambda stops
 * the sandbox ("Lambda execution environment").
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { validateStackConfig } from "../../config";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";

const TOKEN = "custom-consumer-test-token-0001";

function stackConfig(consumers: Record<string, unknown>) {
  return validateStackConfig({ consumers });
}

async function invoke(
  stack: RunningLocalStack,
  name: string,
  event: unknown,
): Promise<{ error?: string; payload: Record<string, unknown> }> {
  const lambda = new LambdaClient({
    endpoint: stack.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));
    return { error: answer.FunctionError, payload: JSON.parse(Buffer.from(answer.Payload!).toString()) as Record<string, unknown> };
  } finally {
    lambda.destroy();
  }
}

describe("local stack: custom consumer modules", function () {
  this.timeout(60_000);

  describe("a running module", () => {
    let stack: RunningLocalStack;
    let dir: string;
    before(async () => {
      process.env.ONLY_IN_THE_STACK = "leaks if seen";
      dir = mkdtempSync(path.join(tmpdir(), "custom-consumer-"));
      const config = stackConfig({
        echo: {
          handler: "./test/fixtures/consumers/echo-environment.ts",
          environment: { GREETING: "hello" },
          tables: { seen: { partitionKey: "id" } },
          parameters: { API_URL: { type: "String", value: "https://api.example.com" }, SHARED: { name: "/team/shared" } },
        },
        slow: { handler: "./test/fixtures/consumers/side-effect-after-timeout.ts", timeoutSeconds: 1 },
      });
      stack = await startLocalStack(config, {
        stack: "custom",
        port: 0,
        kinesis: "kinesalite",
        limits: false,
        token: TOKEN,
        log: () => undefined,
      });
    });
    after(async () => {
      delete process.env.ONLY_IN_THE_STACK;
      if (stack) await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("sees its own environment, its table and secret, and the local endpoints; not the stack's process environment", async () => {
      const status = stack.status();
      const { error, payload } = await invoke(stack, "echo", { Records: [] });
      expect(error).to.equal(undefined);
      const environment = payload.environment as Record<string, string>;
      expect(environment).to.deep.include({
        GREETING: "hello",
        TABLE_SEEN: "kinesis-ingest-custom-echo-seen",
        CONFIG_SECRET_ID: "kinesis-ingest-custom-echo-config",
        AWS_LAMBDA_FUNCTION_NAME: "kinesis-ingest-custom-echo",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_DYNAMODB: status.dynamodbEndpoint,
        AWS_ENDPOINT_URL_KINESIS: status.kinesisEndpoint,
        AWS_ENDPOINT_URL_SQS: status.sqsEndpoint,
        AWS_ENDPOINT_URL_SSM: status.parameterStoreEndpoint,
        PARAM_API_URL: "/kinesis-ingest/custom/echo/API_URL",
        PARAM_SHARED: "/team/shared",
      });
      expect(status.parameters).to.deep.equal({ "/kinesis-ingest/custom/echo/API_URL": "String" });
      expect(environment).to.not.have.property("ONLY_IN_THE_STACK");
      expect(status.tables).to.deep.equal({ echo: { seen: "kinesis-ingest-custom-echo-seen" }, slow: {} });
    });

    it("an invocation past the timeout fails as Lambda reports it, and its side effect after the deadline never happens", async () => {
      const marker = path.join(dir, "late.txt");
      const { error, payload } = await invoke(stack, "slow", { delayMs: 1500, marker });
      expect(error).to.equal("Unhandled");
      expect(payload.errorMessage).to.match(/Task timed out after 1\.00 seconds$/);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(existsSync(marker)).to.equal(false);
      const quick = await invoke(stack, "slow", { delayMs: 10, marker });
      expect(quick).to.deep.equal({ error: undefined, payload: { batchItemFailures: [] } });
      expect(existsSync(marker)).to.equal(true);
    });
  });

  /** The error `startLocalStack` fails with for `consumers`, or undefined when it starts. */
  async function startError(consumers: Record<string, unknown>): Promise<Error | undefined> {
    try {
      const stack = await startLocalStack(stackConfig(consumers), {
        stack: "custom",
        port: 0,
        kinesis: "kinesalite",
        limits: false,
        token: TOKEN,
        log: () => undefined,
      });
      await stack.stop();
    } catch (e) {
      return e as Error;
    }
    return undefined;
  }

  it("a module that throws while loading stops start-up, naming the consumer and the error", async () => {
    const error = await startError({ broken: { handler: "./test/fixtures/consumers/throws-at-import.ts" } });
    expect(error?.message).to.equal(
      '`consumers.broken.handler` "./test/fixtures/consumers/throws-at-import.ts" failed to load: ORDERS_API_URL is not set (function kinesis-ingest-custom-broken)',
    );
  });

  it("a module without handler stops start-up in the plan's words: the consumer, what was expected, what it exports", async () => {
    const error = await startError({ orders: { handler: "./test/fixtures/consumers/no-handler.ts" } });
    expect(error?.message).to.equal(
      '`consumers.orders.handler` "./test/fixtures/consumers/no-handler.ts" exports no `handler` function: expected `export const handler` (`module.exports.handler` in CommonJS); it exports handle (function kinesis-ingest-custom-orders)',
    );
  });

  it("a CommonJS module without handler reads the same", async () => {
    const error = await startError({ orders: { handler: "./test/fixtures/consumers/common-js-without-handler.js" } });
    expect(error?.message).to.equal(
      '`consumers.orders.handler` "./test/fixtures/consumers/common-js-without-handler.js" exports no `handler` function: expected `export const handler` (`module.exports.handler` in CommonJS); it exports process (function kinesis-ingest-custom-orders)',
    );
  });
});
