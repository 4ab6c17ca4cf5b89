/**
 * `aws lambda invoke --log-type Tail` against the local Invoke API: `LogResult` is the invocation's last
 * 4 KB of log, base64, as Lambda answers: START, what the function wrote to stdout and stderr (a built-in
 * consumer in-process, a user's module in its worker), an error line when it failed, END and REPORT.
 */
import { expect } from "chai";
import { InvokeCommand, LambdaClient, LogType } from "@aws-sdk/client-lambda";
import { validateStackConfig } from "../../config";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";

describe("local stack: Invoke with --log-type Tail", function () {
  this.timeout(60_000);
  let stack: RunningLocalStack;
  let lambda: LambdaClient;
  before(async () => {
    const config = validateStackConfig({
      consumers: {
        forwarder: { handler: "forwarder" },
        talker: { handler: "./test/fixtures/consumers/logs-lines.ts" },
      },
    });
    stack = await startLocalStack(config, {
      stack: "logtail",
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: "t",
      log: () => undefined,
    });
    lambda = new LambdaClient({ endpoint: stack.url, region: "us-east-1", credentials: { accessKeyId: "l", secretAccessKey: "l" } });
  });
  after(async () => {
    lambda?.destroy();
    if (stack) await stack.stop();
  });

  async function tail(name: string, payload: unknown, logType: LogType = "Tail") {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: logType }));
    const log = answer.LogResult === undefined ? undefined : Buffer.from(answer.LogResult, "base64");
    return { answer, log };
  }

  it("returns a user's module's stdout and stderr between START and REPORT", async () => {
    const { answer, log } = await tail("talker", {});
    const text = log!.toString("utf8");
    const requestId = /^START RequestId: (\S+) Version: \$LATEST\n/.exec(text)?.[1];
    expect(requestId, text).to.be.a("string");
    expect(text).to.include("hello from the module\n").and.include("a line on stderr\n");
    expect(text).to.match(new RegExp(`END RequestId: ${requestId}\\nREPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\t`));
    expect(answer.$metadata.requestId).to.equal(requestId);
  });

  it("returns the last 4 KB only, and nothing unless asked", async () => {
    const { log } = await tail("talker", { lines: 200 });
    expect(log!.length).to.equal(4096);
    expect(log!.toString("utf8")).to.match(/line 199 x+\nEND RequestId: \S+\nREPORT RequestId: /);
    expect((await tail("talker", {}, "None")).answer.LogResult).to.equal(undefined);
  });

  it("returns an in-process consumer's summary line, and the error of a failed invocation", async () => {
    const ok = (await tail("forwarder", { Records: [] })).log!.toString("utf8");
    expect(ok).to.include('"message":"Kinesis batch processed"');
    const failed = await tail("forwarder", { not: "an event" });
    expect(failed.answer.FunctionError).to.equal("Unhandled");
    expect(failed.log!.toString("utf8")).to.match(
      /\tERROR\tInvoke Error \t\{"errorType":"\w+","errorMessage":"The event has no Records array/,
    );
  });
});
