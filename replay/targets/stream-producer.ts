/**
 * The producer `--to-stream` writes through: PutRecords in order, at most 500 entries a call, resending
 * only the entries that failed (ErrorCode set), with bounded backoff.
 */
import { PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { DEFAULT_RETRY, backoffDelay, withRetry } from "../retry";
import { sleep } from "../pacing";
import type { RecordProducer } from "./stream-target";

/** PutRecords takes at most 500 entries and 5 MiB (data plus partition keys) a call. */
const MAX_ENTRIES = 500;
const MAX_BYTES = 5 * 1024 * 1024;

interface Pending {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A producer writing to `streamName`; `put` queues, `flush` sends everything queued. */
export function openStreamProducer(kinesis: KinesisClient, streamName: string): RecordProducer {
  let queue: Pending[] = [];
  const send = async (entries: Pending[]): Promise<void> => {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const response = await withRetry(() =>
        kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending.map((p) => ({ Data: p.data, PartitionKey: p.partitionKey })) })),
      );
      const results = response.Records ?? [];
      const failed = pending.filter((_, i) => results[i]?.ErrorCode);
      for (const entry of pending) if (!failed.includes(entry)) entry.resolve();
      if (failed.length > 0 && attempt >= DEFAULT_RETRY.maxAttempts) {
        const code = results.find((r) => r.ErrorCode)?.ErrorCode;
        for (const entry of failed) entry.reject(new Error(`PutRecords kept failing for ${streamName}: ${code}`));
        return;
      }
      pending = failed;
      if (pending.length > 0) await sleep(backoffDelay(attempt, DEFAULT_RETRY));
    }
  };
  return {
    put(record) {
      return new Promise<void>((resolve, reject) =>
        queue.push({ data: Buffer.from(record.dataBase64, "base64"), partitionKey: record.partitionKey, resolve, reject }),
      );
    },
    async flush() {
      const taken = queue;
      queue = [];
      for (const chunk of putRecordsChunks(taken)) {
        await send(chunk).catch((error: Error) => chunk.forEach((entry) => entry.reject(error)));
      }
    },
    async close() {
      await this.flush();
    },
  };
}

function* putRecordsChunks(entries: Pending[]): Generator<Pending[]> {
  let chunk: Pending[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.data.length + Buffer.byteLength(entry.partitionKey);
    if (chunk.length > 0 && (chunk.length === MAX_ENTRIES || bytes + size > MAX_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
