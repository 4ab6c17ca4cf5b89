/**
 * The ingest function under the stream's real record limit (`stream.maxRecordSizeKiB`, passed to the deployed
 * function as `MAX_RECORD_SIZE_KIB`): a record between 1 MiB and the limit is written, one above it is refused
 * with a 413 naming the limit, and a stream left at the default keeps the 1 MiB limit. Kinesis is a stub.
 */
import { expect } from "chai";
import type { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { createIngestHandler } from "../../handlers/ingest";
import { recordSizeKiBFromEnv } from "../../handlers/lib/environment/ingest";
import { createLogger } from "../../handlers/lib/log";
import { httpApiEvent, jsonRequest, lambdaContext } from "./support/http-events";

const MIB = 1024 * 1024;
const KEY = "k";

function storing(): { kinesis: KinesisClient; sizes: number[] } {
  const sizes: number[] = [];
  const kinesis = {
    send: async (command: PutRecordsCommand) => {
      const entries = command.input.Records ?? [];
      for (const e of entries) sizes.push((e.Data?.length ?? 0) + Buffer.byteLength(e.PartitionKey ?? ""));
      return { FailedRecordCount: 0, Records: entries.map((_, i) => ({ SequenceNumber: String(i + 1), ShardId: "shardId-000000000000" })) };
    },
  } as unknown as KinesisClient;
  return { kinesis, sizes };
}

/** One record of exactly `size` bytes as Kinesis counts it: `data` is a JSON string, stored with its quotes. */
function recordOf(size: number): { data: string; partitionKey: string } {
  return { data: "x".repeat(size - KEY.length - 2), partitionKey: KEY };
}

async function send(maxRecordSizeKiB: number | undefined, size: number) {
  const { kinesis, sizes } = storing();
  const logger = createLogger({ service: "ingest", write: () => undefined });
  const ingest = createIngestHandler({ streamName: "s", kinesis, logger, maxRecordSizeKiB });
  const result = await ingest(httpApiEvent(jsonRequest({ records: [recordOf(size)] })), lambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body ?? "{}") as { error?: { message: string } }, sizes };
}

describe("ingest handler: the stream's maximum record size", () => {
  it("writes a record between 1 MiB and a raised limit (2048 KiB)", async () => {
    const { status, sizes } = await send(2048, 2 * MIB);
    expect([status, sizes]).to.deep.equal([200, [2 * MIB]]);
  });

  it("refuses a record one byte above the raised limit, naming it", async () => {
    const { status, body, sizes } = await send(2048, 2 * MIB + 1);
    expect([status, sizes]).to.deep.equal([413, []]);
    expect(body.error?.message).to.equal(
      `records[0] is ${2 * MIB + 1} bytes (data ${2 * MIB} + partition key 1); a record may be at most ${2 * MIB} bytes (2 MiB). Nothing was written.`,
    );
  });

  it("names a limit that is not whole MiB in KiB (4606 KiB, the largest Lambda can carry)", async () => {
    const { status, body } = await send(4606, 4606 * 1024 + 1);
    expect(status).to.equal(413);
    expect(body.error?.message).to.contain(`a record may be at most ${4606 * 1024} bytes (4606 KiB)`);
  });

  it("keeps 1 MiB when the stream's limit is not raised", async () => {
    const { status, body } = await send(undefined, MIB + 1);
    expect(status).to.equal(413);
    expect(body.error?.message).to.contain(`a record may be at most ${MIB} bytes (1 MiB)`);
  });

  it("reads MAX_RECORD_SIZE_KIB: unset is 1024; outside 1024–10240 or not an integer is refused", () => {
    expect([recordSizeKiBFromEnv(undefined), recordSizeKiBFromEnv(""), recordSizeKiBFromEnv("4606")]).to.deep.equal([1024, 1024, 4606]);
    for (const bad of ["1023", "10241", "2048.5", "2 MiB"])
      expect(() => recordSizeKiBFromEnv(bad)).to.throw(`MAX_RECORD_SIZE_KIB must be an integer of KiB from 1024 to 10240, got "${bad}".`);
  });
});
