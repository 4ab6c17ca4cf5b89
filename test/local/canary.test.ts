/**
 * The canary's script (handlers/canary.ts) run against the real local stack over HTTP, as Synthetics runs it
 * against the deployed front: `GET /health` answers, the canary record is stored under partition key `canary`
 * with each auth mode the canary supports (a bearer token, a REST API key, a SigV4 signature), a failing front
 * fails the run, and a consumer with `dropCanaryRecords` does not receive the record while one without does.
 */
import { expect } from "chai";
import { runCanary, CanaryCheckError } from "../../handlers/canary";
import { validateStackConfig } from "../../config";
import { CANARY_MARKER_FIELD, CANARY_PARTITION_KEY } from "../../handlers/lib/canary-record";
import { LOCAL_API_KEY } from "../../local/fronts/rest-api";
import { LOCAL_IAM_CREDENTIALS } from "../../local/fronts/sigv4";
import type { SinkRecord } from "../../local/sink";
import { startLocalStack, type RunningLocalStack } from "../../local/stack";
import { startWithApi, TOKEN } from "./fronts/support";

const FORWARDER = { handler: "forwarder" };

async function sinkRecords(url: string): Promise<SinkRecord[]> {
  return ((await (await fetch(`${url}/_local/sink`)).json()) as { records: SinkRecord[] }).records;
}

describe("canary script against the local stack", function () {
  this.timeout(60_000);
  const stacks: RunningLocalStack[] = [];
  after(async () => {
    for (const stack of stacks) await stack.stop();
  });

  it("stores its record with a token, and a consumer with dropCanaryRecords never receives it", async () => {
    const config = validateStackConfig(
      {
        api: { front: "http-api", auth: "token" },
        observability: { canary: {} },
        consumers: { everything: FORWARDER, producers: { ...FORWARDER, dropCanaryRecords: true } },
      },
      "test",
      { stack: "canary" },
    );
    expect(config.consumers.producers!.filterPatterns).to.deep.equal([`{"data":{"${CANARY_MARKER_FIELD}":[{"exists":false}]}}`]);
    const stack = await startLocalStack(config, {
      stack: "canary",
      port: 0,
      kinesis: "kinesalite",
      limits: false,
      token: TOKEN,
      log: () => undefined,
    });
    stacks.push(stack);

    const report = await runCanary({ apiUrl: stack.url, stack: "canary", auth: { mode: "token", token: TOKEN } });
    expect(report.shardId).to.match(/^shardId-/);
    const control = await fetch(`${stack.url}/records`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: '{"records":[{"partitionKey":"control","data":{"n":1}}]}',
    });
    expect(control.status).to.equal(200);

    // Both consumers deliver to the one sink: the control record arrives twice, the canary's once.
    let delivered: SinkRecord[] = [];
    for (let i = 0; i < 200 && delivered.filter((r) => r.partitionKey === "control").length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      delivered = await sinkRecords(stack.url);
    }
    const canary = delivered.filter((r) => r.partitionKey === CANARY_PARTITION_KEY);
    expect(delivered.filter((r) => r.partitionKey === "control")).to.have.length(2);
    expect(canary).to.have.length(1);
    expect(canary[0]!.sequenceNumber).to.equal(report.sequenceNumber);
    expect(canary[0]!.data).to.deep.include({ [CANARY_MARKER_FIELD]: true, stack: "canary" });
  });

  it("fails the run when the front refuses its credential", async () => {
    const stack = stacks[0]!;
    const run = runCanary({ apiUrl: stack.url, stack: "canary", auth: { mode: "token", token: "not-the-canary-token" } });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(CanaryCheckError);
    expect((error as Error).message).to.match(/^POST \/records answered 403: /);
  });

  it("sends the REST API's key, and signs with SigV4 on iam", async () => {
    const rest = await startWithApi({ front: "rest-api", auth: "token" });
    stacks.push(rest);
    const restReport = await runCanary({ apiUrl: rest.url, stack: "r", auth: { mode: "token", token: TOKEN }, apiKey: LOCAL_API_KEY });
    expect(restReport.sequenceNumber).to.match(/^\d+$/);

    const iam = await startWithApi({ front: "http-api", auth: "iam" });
    stacks.push(iam);
    const signed = await runCanary({
      apiUrl: iam.url,
      stack: "i",
      auth: { mode: "iam", region: "us-east-1", credentials: LOCAL_IAM_CREDENTIALS },
    });
    expect(signed.sequenceNumber).to.match(/^\d+$/);
  });
});
