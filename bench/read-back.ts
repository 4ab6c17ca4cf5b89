/**
 * The producer benchmark's check that a run lost and duplicated nothing: the stream read back, KPL
 * aggregates unpacked with aws-kinesis-agg, each sent record counted once. Its own file because it is the
 * check every row of the table reports, apart from the ways of sending that the rows measure.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { readAll } from "../test/client/kinesis-read-back";

/** Reads the stream back (de-aggregating) and checks each sent record is there exactly once. */
export async function verifyReadBack(admin: KinesisClient, stream: string, sent: number): Promise<string> {
  const seen = new Set<string>();
  let total = 0;
  for (const record of await readAll(admin, stream)) {
    const texts = record.data.subarray(0, 4).toString("hex") === "f3899ac2" ? deaggregate(record.data) : [record.data.toString("utf8")];
    for (const text of texts) {
      seen.add(text);
      total += 1;
    }
  }
  const ok = total === sent && seen.size === sent;
  return `${ok ? "ok" : "MISMATCH"}: ${total} read, ${seen.size} distinct of ${sent}`;
}

function deaggregate(data: Buffer): string[] {
  const { deaggregateSync } = require("aws-kinesis-agg") as {
    deaggregateSync(
      r: { data: string; partitionKey: string; sequenceNumber: string },
      checksums: boolean,
      done: (e: Error | null, rs?: Array<{ data: string }>) => void,
    ): void;
  };
  let out: string[] = [];
  deaggregateSync({ data: data.toString("base64"), partitionKey: "", sequenceNumber: "0" }, true, (error, records) => {
    if (error) throw error;
    out = (records ?? []).map((r) => Buffer.from(r.data, "base64").toString("utf8"));
  });
  return out;
}
