/**
 * `--to-stream NAME`: re-puts each record, with its partition key and bytes unchanged, through the
 * project's direct producer (`client/kinesis-producer.ts`: batching, retries of the failed entries). The replay refuses its own source stream
 * unless `--allow-same-stream`: replaying a stream into itself doubles it.
 */
import { UsageError } from "../errors";
import type { DeliveryOutcome, ReplayTarget } from "./target";

/** The part of the producer (`client/`) the target uses. */
export interface RecordProducer {
  put(record: { readonly dataBase64: string; readonly partitionKey: string }): Promise<unknown>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Refuses `--to-stream` naming the source unless explicitly allowed. */
export function assertNotSourceStream(source: string, target: string, allowSameStream: boolean): void {
  if (source === target && !allowSameStream) {
    throw new UsageError(
      `--to-stream "${target}" is the source stream: every replayed record would be written again and read by its consumers twice. ` +
        "Pass --allow-same-stream if that is what you want.",
    );
  }
}

/** A target writing to another stream; a batch counts as delivered once every record of it is stored. */
export function streamTarget(streamName: string, producer: RecordProducer): ReplayTarget {
  return {
    description: `stream:${streamName}`,
    async deliver(records): Promise<DeliveryOutcome> {
      // Put in order (per-key order), then wait for all: the producer batches them into PutRecords calls.
      const puts = Promise.allSettled(
        records.map((record) =>
          producer.put({ dataBase64: Buffer.from(record.data).toString("base64"), partitionKey: record.partitionKey }),
        ),
      );
      // Don't wait for the producer's linger timer: the replay checkpoints only after the batch is stored.
      await producer.flush();
      const settled = await puts;
      const failed = records.filter((_, index) => settled[index]!.status === "rejected"); // one settled entry per record
      const firstError = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      return failed.length === 0
        ? { failed }
        : { failed, reason: `put failed: ${String((firstError?.reason as Error)?.message ?? firstError?.reason)}` };
    },
    close: () => producer.close(),
  };
}
