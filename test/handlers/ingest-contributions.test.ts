/**
 * The ingest function's Contributor Insights lines (handlers/lib/contribution-log.ts): with `logPartitionKeys`
 * one line per distinct partition key of a request with its records and bytes, and the caller on every line
 * of the request; without it, the lines are as before. Kinesis is a stub that stores every record.
 */
import { expect } from "chai";
import type { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { createIngestHandler } from "../../handlers/ingest";
import { callerOf, PARTITION_KEY_MESSAGE, REQUEST_OUTCOME_MESSAGES } from "../../handlers/lib/contribution-log";
import { createLogger } from "../../handlers/lib/log";
import { albEvent, eventFor, FRONTS, httpApiEvent, jsonRequest, lambdaContext, restApiEvent } from "./support/http-events";

/** A Kinesis client whose PutRecords stores every entry. */
const storingKinesis = {
  send: async (command: PutRecordsCommand) => ({
    FailedRecordCount: 0,
    Records: (command.input.Records ?? []).map((_, i) => ({ SequenceNumber: String(i + 1), ShardId: "shardId-000000000000" })),
  }),
} as unknown as KinesisClient;

function run(logPartitionKeys: boolean) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ service: "ingest", write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const ingest = createIngestHandler({ streamName: "s", kinesis: storingKinesis, logger, logPartitionKeys });
  return { ingest, lines };
}

const records = [
  { data: { n: 1 }, partitionKey: "hot" },
  { data: { n: 2 }, partitionKey: "hot" },
  { data: "x", partitionKey: "ключ" },
  { data: { n: 3 }, partitionKey: "hot" },
];

describe("ingest handler: Contributor Insights lines", () => {
  it("writes one line per distinct partition key with its records and bytes (data + UTF-8 key)", async () => {
    const { ingest, lines } = run(true);
    await ingest(httpApiEvent(jsonRequest({ records })), lambdaContext());
    const perKey = lines.filter((l) => l.message === PARTITION_KEY_MESSAGE);
    expect(perKey.map(({ partitionKey, records: n, bytes }) => ({ partitionKey, records: n, bytes }))).to.deep.equal([
      { partitionKey: "hot", records: 3, bytes: 3 * ('{"n":1}'.length + 3) },
      { partitionKey: "ключ", records: 1, bytes: '"x"'.length + Buffer.byteLength("ключ") },
    ]);
  });

  it("puts the caller on the outcome line: the source address when no principal was authenticated", async () => {
    const { ingest, lines } = run(true);
    await ingest(httpApiEvent(jsonRequest({ records })), lambdaContext());
    const outcome = lines.find((l) => REQUEST_OUTCOME_MESSAGES.includes(l.message as "records stored"));
    expect(outcome).to.deep.include({ caller: "ip:198.51.100.7", sourceIp: "198.51.100.7", records: 4 });
  });

  for (const front of FRONTS) {
    it(`${front}: without the setting, no per-key line and no caller`, async () => {
      const { ingest, lines } = run(false);
      await ingest(eventFor(front, jsonRequest({ records })), lambdaContext());
      expect(lines.map((l) => l.message)).to.deep.equal(["records stored"]);
      expect(lines[0]).to.not.have.property("caller");
    });
  }
});

describe("callerOf: who sent a request, per front", () => {
  const base = httpApiEvent(jsonRequest({ records }));

  it("takes the token authorizer's principal (HTTP API simple response context, REST API principalId)", () => {
    const v2 = { ...base, requestContext: { ...base.requestContext, authorizer: { lambda: { principalId: "token:2a97516c354b6884" } } } };
    expect(callerOf(v2)).to.deep.equal({ caller: "token:2a97516c354b6884", sourceIp: "198.51.100.7" });
    const rest = restApiEvent(jsonRequest({ records }));
    const v1 = { ...rest, requestContext: { ...rest.requestContext, authorizer: { principalId: "token:00ff" } } };
    expect(callerOf(v1).caller).to.equal("token:00ff");
  });

  it("takes the SigV4 caller's ARN and a JWT's client id", () => {
    const userArn = "arn:aws:iam::123456789012:role/producer";
    expect(callerOf({ ...base, requestContext: { ...base.requestContext, authorizer: { iam: { userArn } } } }).caller).to.equal(userArn);
    const jwt = { jwt: { claims: { sub: "user-1", client_id: "app-7" }, scopes: null } };
    expect(callerOf({ ...base, requestContext: { ...base.requestContext, authorizer: jwt } }).caller).to.equal("app-7");
  });

  it("takes an ALB request's last X-Forwarded-For address, the one the load balancer appended", () => {
    const alb = albEvent(jsonRequest({ records }, { "X-Forwarded-For": "10.0.0.1, 203.0.113.9" }));
    expect(callerOf(alb)).to.deep.equal({ caller: "ip:203.0.113.9", sourceIp: "203.0.113.9" });
    expect(callerOf({ requestContext: {} })).to.deep.equal({ caller: "unknown" });
  });
});
