/** Delivery batches: bounded by count and by data bytes, order kept, an oversized record alone. */
import { expect } from "chai";
import { deliveryBatches } from "../../replay/batches";
import type { StreamRecord } from "../../replay/types";

const record = (n: number, bytes: number): StreamRecord => ({
  shardId: "shardId-000000000000",
  sequenceNumber: String(n),
  partitionKey: "k",
  data: new Uint8Array(bytes),
  approximateArrivalTimestamp: new Date(0),
});

describe("replay delivery batches", () => {
  const seqs = (batches: StreamRecord[][]) => batches.map((b) => b.map((r) => Number(r.sequenceNumber)));

  it("cuts at the record count", () => {
    expect(
      seqs([
        ...deliveryBatches(
          [1, 2, 3, 4, 5].map((n) => record(n, 10)),
          2,
        ),
      ]),
    ).to.deep.equal([[1, 2], [3, 4], [5]]);
  });

  it("cuts before the byte bound, and sends a record larger than the bound alone", () => {
    const records = [record(1, 300), record(2, 300), record(3, 500), record(4, 2000), record(5, 100)];
    expect(seqs([...deliveryBatches(records, 100, 1000)])).to.deep.equal([[1, 2], [3], [4], [5]]);
  });

  it("yields nothing for no records", () => {
    expect([...deliveryBatches([], 10)]).to.deep.equal([]);
  });
});
