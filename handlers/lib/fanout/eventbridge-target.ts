/**
 * An event bus as a fan-out target: PutEvents with one entry a record. `Detail` must be a JSON object: a record
 * whose data is one is sent as its exact bytes; any other record goes in the documented wrapper
 * `{"dataBase64", "partitionKey", "sequenceNumber", "subSequenceNumber", "shardId", "arrivalTime"}`.
 * `Resources` names the stream, `Time` is the record's arrival; entry sizes are counted as EventBridge counts
 * them (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge).
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { EVENTBRIDGE_PUT_EVENTS, putEventsEntrySize } from "../../../semantics/fanout-limits";
import type { ConsumerRecord } from "../consumer";
import { perRecord } from "../consumer/per-record";
import { jsonObjectDocument } from "./message";
import type { FanoutTarget } from "./publish";

/** Where and what to put. */
export interface EventBridgeTargetOptions {
  readonly client: EventBridgeClient;
  /** The bus's name or ARN (`default` for the account's default bus). */
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
}

/** The entry for `record` (without the bus name, which the call adds). */
function eventEntry(record: ConsumerRecord, source: string, detailType: string): PutEventsRequestEntry {
  const arrival = new Date(Math.round(record.approximateArrivalTimestamp * 1000));
  return { Source: source, DetailType: detailType, Detail: jsonObjectDocument(record), Resources: [record.eventSourceARN], Time: arrival };
}

/** The bus as a {@link FanoutTarget}. */
export function eventBridgeTarget(options: EventBridgeTargetOptions): FanoutTarget {
  const { client, eventBusName, source, detailType } = options;
  // Built once per record: sized when the batch is cut, sent with the request.
  const entryOf = perRecord((record) => eventEntry(record, source, detailType));
  return {
    name: eventBusName,
    limits: EVENTBRIDGE_PUT_EVENTS,
    sizeOf: (record) => {
      const e = entryOf(record);
      return putEventsEntrySize({ Source: source, DetailType: detailType, Detail: e.Detail, Resources: e.Resources, Time: e.Time });
    },
    send: async (records) => {
      const entries = records.map((record) => ({ ...entryOf(record), EventBusName: eventBusName }));
      const answer = await client.send(new PutEventsCommand({ Entries: entries }));
      if (!answer.FailedEntryCount) return [];
      // Entries answer the request's entries one for one, in order; a failed one has an ErrorCode.
      return (answer.Entries ?? []).flatMap((e, index) =>
        e.ErrorCode === undefined ? [] : [{ index, code: e.ErrorCode, message: e.ErrorMessage ?? "" }],
      );
    },
  };
}
