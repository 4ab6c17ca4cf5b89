/**
 * The producers' `maxRecordSizeKiB` (the stream's `stream.maxRecordSizeKiB`): 1 MiB by default; raised, a record
 * between 1 MiB and the limit is sent and one above it is refused at `put()` (status 0, nothing sent) with a
 * message naming the limit; a value outside Kinesis's 1024–10240 KiB is refused at construction.
 */
import { expect } from "chai";
import { HttpProducer } from "../../client/http-producer";
import type { RecordRejectedError } from "../../client/errors";
import { startFakeApi, type FakeApi } from "./fake-api";

const MIB = 1024 * 1024;
const KEY = "k";

/** A record of exactly `size` bytes as Kinesis counts them (data plus partition key). */
const recordOf = (size: number) => ({ dataBase64: Buffer.alloc(size - KEY.length, 7).toString("base64"), partitionKey: KEY });

describe("producer: the stream's maximum record size", () => {
  let api: FakeApi;
  beforeEach(async () => (api = await startFakeApi("secret-token")));
  afterEach(() => api.stop());

  const producer = (maxRecordSizeKiB?: number) =>
    new HttpProducer({ url: api.url, token: "secret-token", lingerMs: 5, backoff: { baseMs: 5, maxMs: 20 }, maxRecordSizeKiB });

  it("sends a record between 1 MiB and a raised limit (2048 KiB)", async () => {
    const client = producer(2048);
    await client.put(recordOf(2 * MIB));
    await client.close();
    expect(api.stored.map((r) => Buffer.from(r.dataBase64 ?? "", "base64").length)).to.deep.equal([2 * MIB - KEY.length]);
  });

  it("refuses a record above the raised limit before sending, naming the limit", async () => {
    const client = producer(2048);
    const error = (await client.put(recordOf(2 * MIB + 1)).catch((e: unknown) => e)) as RecordRejectedError;
    await client.close();
    expect([error.status, error.message]).to.deep.equal([
      0,
      `A record's data plus partition key must be 1 to ${2 * MIB} bytes (the stream's maximum record size), got ${2 * MIB + 1}.`,
    ]);
    expect(api.requests).to.have.length(0);
  });

  it("keeps 1 MiB by default", async () => {
    const client = producer();
    const error = (await client.put(recordOf(MIB + 1)).catch((e: unknown) => e)) as RecordRejectedError;
    await client.close();
    expect(error.message).to.contain(`must be 1 to ${MIB} bytes`);
  });

  it("refuses a limit outside 1024–10240 KiB", () => {
    for (const kib of [1023, 10_241, 1500.5])
      expect(() => producer(kib)).to.throw(RangeError, `maxRecordSizeKiB must be an integer from 1024 to 10240 (KiB), got ${kib}.`);
  });
});
