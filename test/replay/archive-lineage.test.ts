/**
 * `replay --from-archive` across a reshard (fauxqs S3): each object records its shard's parents
 * (`parent-shards` metadata, from ListShards when the archiver wrote it), and a child shard is read only
 * after its parents were read to their end, so a partition key's records keep their order, as in a stream
 * replay (Kinesis "Resharding a stream": read a parent shard to its end before its children). Shards with no
 * ancestry between them are read at once, and objects written without lineage are read without waiting.
 */
import { expect } from "chai";
import type { S3Client } from "@aws-sdk/client-s3";
import { startSqs, type RunningEmulator } from "../../local/emulators";
import { archiveSource } from "../../replay/archive/archive-source";
import { runReplay } from "../../replay/replay";
import type { ReplayTarget } from "../../replay/targets/target";
import type { StreamRecord } from "../../replay/types";
import { at, createBucket, json, localS3Client, putArchiveObject, userRecord } from "./archive-support";

const PARENT = 0;
const CHILD = 1;
const OTHER = 2;

/** A target that records `shard:seq` as each batch starts and holds the parent's batches a while. */
function recordingTarget(order: string[], slowShard: string): ReplayTarget {
  return {
    description: "recording",
    deliver: async (records: readonly StreamRecord[]) => {
      for (const r of records) order.push(`${Number(r.shardId.slice(-1))}:${r.sequenceNumber}`);
      if (records[0]?.shardId === slowShard) await new Promise((resolve) => setTimeout(resolve, 100));
      return { failed: [] };
    },
    close: async () => undefined,
  };
}

describe("replay --from-archive across a reshard: parents before children (fauxqs S3)", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let s3: S3Client;

  before(async () => {
    emulator = await startSqs();
    s3 = localS3Client(emulator.endpoint);
    await createBucket(s3, "lineage");
    // The parent shard held key k until minute 10, when it was split; its child holds k from then on.
    for (const seq of ["10", "11", "12", "13"]) {
      const minute = Number(seq) - 8;
      await putArchiveObject(s3, "lineage", "with/", [userRecord(PARENT, seq, at(minute), json(PARENT, Number(seq)))], {
        parentShards: [],
      });
    }
    await putArchiveObject(
      s3,
      "lineage",
      "with/",
      ["20", "21"].map((seq, i) => userRecord(CHILD, seq, at(11 + i), json(CHILD, Number(seq)))),
      { parentShards: ["shardId-000000000000"] },
    );
    await putArchiveObject(s3, "lineage", "with/", [userRecord(OTHER, "30", at(3), json(OTHER, 30), { partitionKey: "other" })], {
      parentShards: [],
    });
    // The same records, written before the archive kept lineage.
    for (const seq of ["10", "11", "12", "13"]) {
      const minute = Number(seq) - 8;
      await putArchiveObject(s3, "lineage", "without/", [userRecord(PARENT, seq, at(minute), json(PARENT, Number(seq)))]);
    }
    await putArchiveObject(
      s3,
      "lineage",
      "without/",
      ["20", "21"].map((seq, i) => userRecord(CHILD, seq, at(11 + i), json(CHILD, Number(seq)))),
    );
  });

  after(async () => {
    s3.destroy();
    await emulator.stop();
  });

  const replayOrder = async (prefix: string): Promise<string[]> => {
    const order: string[] = [];
    await runReplay({
      source: archiveSource({ s3, location: { bucket: "lineage", prefix }, from: at(0) }),
      to: at(59),
      target: recordingTarget(order, "shardId-000000000000"),
      batchSize: 1,
    });
    return order;
  };

  it("reads the child only after its parent's last record; an unrelated shard does not wait", async () => {
    const order = await replayOrder("with/");
    expect(order.filter((id) => !id.startsWith("2:"))).to.deep.equal(["0:10", "0:11", "0:12", "0:13", "1:20", "1:21"]);
    // The unrelated shard ran beside the parent, not after it.
    expect(order.indexOf("2:30")).to.be.below(order.indexOf("0:13"));
  });

  it("objects without lineage (written before it was kept) are read at once, as before", async () => {
    const order = await replayOrder("without/");
    expect([...order].sort()).to.deep.equal(["0:10", "0:11", "0:12", "0:13", "1:20", "1:21"]);
    expect(order.indexOf("1:20")).to.be.below(order.indexOf("0:13"));
  });
});
