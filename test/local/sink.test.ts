/** `GET /_local/sink` lists each delivery's data as the exact text the forwarder sent, not re-encoded JSON. */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { readBody } from "../../local/http-util";
import { Sink } from "../../local/sink";

const EXACT = '{"big":12345678901234567890.123456789,"f":1.0}';

describe("the local sink keeps record data's exact bytes", () => {
  const sink = new Sink();
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => void readBody(req).then((body) => sink.serve(req, res, body)));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = (body: string) => fetch(`${url}/_local/sink`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("lists a forwarder delivery's data, and any other JSON body, verbatim", async () => {
    const delivery = `{"shardId":"shardId-000000000000","sequenceNumber":"1","subSequenceNumber":0,"partitionKey":"k","approximateArrivalTimestamp":1700000000.123,"data":${EXACT}}`;
    expect((await post(delivery)).status).to.equal(200);
    expect((await post('{"dataBase64":"AAEC","partitionKey":"b"}')).status).to.equal(200);
    expect((await post("[1.50, 2e3]")).status).to.equal(200);
    const text = await (await fetch(`${url}/_local/sink`)).text();
    const listed = JSON.parse(text) as { count: number; records: Array<Record<string, unknown>> };
    expect(listed.count).to.equal(3);
    expect(text).to.contain(`"data":${EXACT}}`);
    expect(text).to.contain('"data":[1.50, 2e3]}');
    expect(listed.records.map((r) => Object.keys(r).sort())).to.deep.equal([
      ["data", "order", "partitionKey", "receivedAt", "sequenceNumber", "shardId", "subSequenceNumber"],
      ["dataBase64", "order", "partitionKey", "receivedAt"],
      ["data", "order", "receivedAt"],
    ]);
    expect(listed.records[1]!.dataBase64).to.equal("AAEC");
  });
});
