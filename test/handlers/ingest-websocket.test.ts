/** The ingest function's WebSocket branch: the same validation and per-record results as POST /records, answered by id. */
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { createIngestHandler } from "../../handlers/ingest";
import type { WebSocketEvent } from "../../handlers/lib/websocket-message";

// One client instance mocked, never the class: a class mock would fake every Kinesis client of the run.
const client = new KinesisClient({ region: "us-east-1" });
const kinesis = mockClient(client);

function event(routeKey: string, body?: string): WebSocketEvent {
  const eventType = routeKey === "$connect" ? "CONNECT" : routeKey === "$disconnect" ? "DISCONNECT" : "MESSAGE";
  return { requestContext: { routeKey, eventType, connectionId: "c1", domainName: "abc.example.com", stage: "ingest" }, body };
}

describe("ingest handler: websocket front", () => {
  const posted: { endpoint: string; id: string; data: unknown }[] = [];
  const handler = createIngestHandler({
    streamName: "s",
    kinesis: client,
    postToConnection: async (endpoint, id, data) => void posted.push({ endpoint, id, data: JSON.parse(data) }),
  });
  beforeEach(() => {
    posted.length = 0;
    kinesis.reset();
  });

  it("accepts $connect and $disconnect without answering", async () => {
    expect(await handler(event("$connect"))).to.include({ statusCode: 200 });
    expect(await handler(event("$disconnect"))).to.include({ statusCode: 200 });
    expect(posted).to.deep.equal([]);
  });

  it("writes a putRecords message and answers its id on the stage's @connections endpoint", async () => {
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: "1", ShardId: "shardId-0" }] });
    await handler(event("putRecords", '{"action":"putRecords","id":"m-1","records":[{"data":{"a":1},"partitionKey":"k"}]}'));
    expect(posted).to.deep.equal([
      {
        endpoint: "https://abc.example.com/ingest",
        id: "c1",
        data: { id: "m-1", failedRecordCount: 0, records: [{ sequenceNumber: "1", shardId: "shardId-0" }] },
      },
    ]);
  });

  it("refuses an invalid message before writing, with POST /records' error", async () => {
    await handler(event("putRecords", '{"action":"putRecords","id":"m-2","records":[],"extra":1}'));
    expect(kinesis.commandCalls(PutRecordsCommand)).to.have.length(0);
    const answer = posted[0]?.data as { id: string; error: { code: string } };
    expect([answer.id, answer.error.code]).to.deep.equal(["m-2", "INVALID_REQUEST"]);
  });

  it("refuses a message without an id, answering id null", async () => {
    await handler(event("putRecords", '{"action":"putRecords","records":[{"data":1}]}'));
    expect(kinesis.commandCalls(PutRecordsCommand)).to.have.length(0);
    expect(posted[0]?.data).to.deep.include({ id: null });
  });
});
