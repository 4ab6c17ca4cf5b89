/** `--to-file` keeps every record's data bytes exactly (numbers beyond a double's precision, `1.0` as written). */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileTarget } from "../../replay/targets/file-target";
import type { StreamRecord } from "../../replay/types";

const EXACT = '{"big":12345678901234567890.123456789,"f":1.0}';

function record(sequenceNumber: string, data: string | Uint8Array): StreamRecord {
  return {
    shardId: "shardId-000000000000",
    sequenceNumber,
    partitionKey: "k",
    data: typeof data === "string" ? Buffer.from(data, "utf8") : data,
    approximateArrivalTimestamp: new Date("2024-05-01T00:00:00.000Z"),
  };
}

describe("replay --to-file: record data's exact bytes", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), "file-target-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes JSON data as its own text (no rounding of big numbers, 1.0 stays 1.0), other bytes as base64", async () => {
    const file = path.join(dir, "exact.ndjson");
    const target = fileTarget(file);
    const multiLine = '{\n  "a": 1\n}';
    const notUtf8 = Uint8Array.from([0x22, 0xff, 0x22]);
    await target.deliver([record("1", EXACT), record("2", multiLine), record("3", notUtf8), record("4", " 3.0e2 ")]);
    await target.close();
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines).to.deep.equal([
      `{"data":${EXACT},"partitionKey":"k","sequenceNumber":"1","shardId":"shardId-000000000000","approximateArrivalTimestamp":"2024-05-01T00:00:00.000Z"}`,
      `{"dataBase64":"${Buffer.from(multiLine).toString("base64")}","partitionKey":"k","sequenceNumber":"2","shardId":"shardId-000000000000","approximateArrivalTimestamp":"2024-05-01T00:00:00.000Z"}`,
      `{"dataBase64":"Iv8i","partitionKey":"k","sequenceNumber":"3","shardId":"shardId-000000000000","approximateArrivalTimestamp":"2024-05-01T00:00:00.000Z"}`,
      `{"data": 3.0e2 ,"partitionKey":"k","sequenceNumber":"4","shardId":"shardId-000000000000","approximateArrivalTimestamp":"2024-05-01T00:00:00.000Z"}`,
      "",
    ]);
    for (const line of lines.slice(0, 4)) expect(() => JSON.parse(line)).not.to.throw();
  });
});
