/** The local sink takes the forwarder's batch body (`delivery: batch`): exact data bytes, per-record refusals in a 207. */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { readBody } from "../../local/http-util";
import { Sink } from "../../local/sink";

const EXACT = '{"big":12345678901234567890.123456789,"f":1.0,"s":"a, ]}"}';
const entry = (sequenceNumber: string, data: string) =>
  `{"shardId":"shardId-000000000001","sequenceNumber":"${sequenceNumber}","subSequenceNumber":0,"partitionKey":"k","approximateArrivalTimestamp":1700000000.123,"data":${data}}`;

describe("the local sink takes batch deliveries", () => {
  let sink: Sink;
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => void readBody(req).then((body) => sink.serve(req, res, body)));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (sink = new Sink({ rejectField: "poison" })));
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = (body: string) =>
    fetch(`${url}/_local/sink`, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": "batch-abc" }, body });
  const listed = async () => {
    const text = await (await fetch(`${url}/_local/sink`)).text();
    return {
      text,
      list: JSON.parse(text) as { accepted: number; rejected: number; count: number; records: Array<Record<string, unknown>> },
    };
  };

  it("keeps each record of a batch with its exact data, its own key and the request's key; answers 200", async () => {
    const response = await post(`{"records":[${entry("1", EXACT)}, ${entry("2", "[1.50, 2e3]")}]}`);

    expect([response.status, await response.json()]).to.deep.equal([200, { accepted: 2 }]);
    const { text, list } = await listed();
    expect([list.accepted, list.rejected, list.count]).to.deep.equal([2, 0, 2]);
    expect(sink.counts()).to.deep.equal({ accepted: 2, rejected: 0, requests: 1 });
    expect(text).to.contain(`"data":${EXACT}}`);
    expect(text).to.contain('"data":[1.50, 2e3]}');
    expect(list.records.map((r) => [r.order, r.sequenceNumber, r.idempotencyKey, r.batchKey])).to.deep.equal([
      [1, "1", "shardId-000000000001:1:0", "batch-abc"],
      [2, "2", "shardId-000000000001:2:0", "batch-abc"],
    ]);
  });

  it("refuses the records SINK_REJECT_FIELD marks with a 207 naming their positions, and keeps the others", async () => {
    const response = await post(
      `{"records":[${entry("1", '{"n":1}')},${entry("2", '{"n":2,"poison":true}')},${entry("3", '{"n":3}')},${entry("4", '{"poison":true}')}]}`,
    );

    const message = 'The sink rejects records whose data has "poison": true.';
    expect([response.status, await response.json()]).to.deep.equal([
      207,
      {
        failed: [
          { index: 1, error: message },
          { index: 3, error: message },
        ],
      },
    ]);
    const { list } = await listed();
    expect([list.accepted, list.rejected]).to.deep.equal([2, 2]);
    expect(list.records.map((r) => r.data)).to.deep.equal([{ n: 1 }, { n: 3 }]);
  });

  it("still takes a record delivery whose data happens to hold a records list, as one record", async () => {
    const response = await post(entry("9", '{"records":[1,2]}'));
    expect(response.status).to.equal(200);
    const { list } = await listed();
    expect(list.records.map((r) => [r.sequenceNumber, r.data, r.batchKey])).to.deep.equal([["9", { records: [1, 2] }, undefined]]);
  });
});
