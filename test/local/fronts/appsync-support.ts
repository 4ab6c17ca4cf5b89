/**
 * GraphQL over HTTP against the local appsync front, for its tests: the `putRecords` mutation, a POST with a
 * real HTTP client, the stream read back, and AppSync's refusal body.
 */
import { localKinesisClient } from "../../../local/emulators";
import type { RunningLocalStack } from "../../../local/stack";
import { readAll } from "../../client/kinesis-read-back";

export const PUT = `mutation Put($records: [RecordInput!]!) {
  putRecords(records: $records) { failedRecordCount records { sequenceNumber shardId errorCode errorMessage } }
}`;

export interface GraphQLAnswer {
  readonly data?: { putRecords?: { failedRecordCount: number; records: Record<string, string | null>[] }; health?: string } | null;
  readonly errors?: { errorType: string; message: string; errorInfo?: { details?: unknown[] }; path?: unknown }[];
}

export async function post(url: string, body: unknown, headers: Record<string, string>): Promise<[number, GraphQLAnswer]> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return [res.status, (await res.json()) as GraphQLAnswer];
}

/** The records in the stack's stream, read back from the start. */
export async function stored(stack: RunningLocalStack) {
  const status = stack.status();
  const client = localKinesisClient(status.kinesisEndpoint);
  const records = await readAll(client, status.streamName);
  client.destroy();
  return records;
}

/** The data (as text) of the stored records with these sequence numbers. */
export async function storedData(stack: RunningLocalStack, answer: GraphQLAnswer): Promise<(string | undefined)[]> {
  const bySequence = new Map((await stored(stack)).map((r) => [r.sequenceNumber, r.data.toString("utf8")]));
  return answer.data!.putRecords!.records.map((r) => bySequence.get(r.sequenceNumber!));
}

/** AppSync's answer to a refused request: HTTP 401, one `UnauthorizedException` with `message`. */
export function unauthorized(message: string): [number, GraphQLAnswer] {
  return [401, { errors: [{ errorType: "UnauthorizedException", message }] }];
}
