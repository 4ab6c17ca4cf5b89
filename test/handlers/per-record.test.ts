import { expect } from "chai";
import { perRecord } from "../../handlers/lib/consumer/per-record";
import type { ConsumerRecord } from "../../handlers/lib/consumer";

describe("perRecord: a batch API's entry built once per record", () => {
  it("builds each record's value once, however often it is asked for, and keeps records apart", () => {
    const built: string[] = [];
    const entryOf = perRecord((record) => (built.push(record.partitionKey), `entry of ${record.partitionKey}`));
    const a = { partitionKey: "a" } as ConsumerRecord;
    const b = { partitionKey: "b" } as ConsumerRecord;
    expect([entryOf(a), entryOf(b), entryOf(a), entryOf(a)]).to.deep.equal(["entry of a", "entry of b", "entry of a", "entry of a"]);
    expect(built).to.deep.equal(["a", "b"]);
  });

  it("keeps a value that is undefined instead of building it again", () => {
    let calls = 0;
    const nothing = perRecord(() => void calls++);
    const r = { partitionKey: "r" } as ConsumerRecord;
    nothing(r);
    nothing(r);
    expect(calls).to.equal(1);
  });
});
