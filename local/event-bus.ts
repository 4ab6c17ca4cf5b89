/**
 * A stand-in for EventBridge's PutEvents (JSON 1.1 protocol, `X-Amz-Target: AWSEvents.PutEvents`): npm has
 * no EventBridge emulator. It validates entries as EventBridge documents them — at most 10 entries, their
 * sizes ("Calculating PutEvents event entry size") under 256 KB in all, a known bus, `Source` and
 * `DetailType` present and well-formed, `Detail` a JSON object — answers per entry with `FailedEntryCount`
 * and `Entries`, and records each accepted event as EventBridge would deliver it (`GET /_local/events` on
 * the local stack's server lists them). No rules, no targets, no archive: it is not an emulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { EVENTBRIDGE_PUT_EVENTS, eventDetailTypeProblem, eventSourceProblem, putEventsEntrySize } from "../semantics/fanout-limits";
import { listenOnLoopback, LOCAL_ACCOUNT, LOCAL_REGION } from "./emulators";
import { parseJsonOrUndefined, readBody } from "./http-util";

/** An accepted event, in the shape EventBridge delivers to a rule's target. */
export interface LocalEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
  /** The bus it was put on (not part of EventBridge's event: the stand-in's own bookkeeping). */
  readonly eventBusName: string;
}

/** A running stand-in. */
export interface LocalEventBus {
  readonly endpoint: string;
  /** Lets events be put on bus `name` (`default` always exists). */
  createBus(name: string): string;
  /** Every accepted event, in arrival order. */
  events(): readonly LocalEvent[];
  stop(): Promise<void>;
}

/** What one entry is answered with. */
type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

interface RawEntry {
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly Resources?: unknown;
  readonly Time?: unknown;
  readonly EventBusName?: unknown;
}

/** Starts the stand-in on 127.0.0.1 (a free port unless `port` is given). */
export async function startEventBus(port = 0): Promise<LocalEventBus> {
  const buses = new Set(["default"]);
  const accepted: LocalEvent[] = [];
  const arnOf = (name: string) => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${name}`;
  const busName = (value: unknown): string => {
    const text = typeof value === "string" && value !== "" ? value : "default";
    return text.startsWith("arn:") ? text.slice(text.lastIndexOf("/") + 1) : text;
  };

  function entryResult(entry: RawEntry): { result: EntryResult; event?: LocalEvent } {
    const refuse = (code: string, message: string) => ({ result: { ErrorCode: code, ErrorMessage: message } });
    if (typeof entry.Source !== "string")
      return refuse("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
    if (typeof entry.DetailType !== "string")
      return refuse("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
    const sourceProblem = eventSourceProblem(entry.Source);
    if (sourceProblem) return refuse("InvalidArgument", `Parameter Source is not valid. Reason: Source ${sourceProblem}.`);
    const typeProblem = eventDetailTypeProblem(entry.DetailType);
    if (typeProblem) return refuse("InvalidArgument", `Parameter DetailType is not valid. Reason: DetailType ${typeProblem}.`);
    if (typeof entry.Detail !== "string")
      return refuse("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
    const detail = parseJsonOrUndefined(entry.Detail);
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return refuse("MalformedDetail", "Detail is malformed.");
    const time = typeof entry.Time === "number" ? new Date(entry.Time * 1000) : new Date();
    const id = randomUUID();
    const event: LocalEvent = {
      version: "0",
      id,
      "detail-type": entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: LOCAL_REGION,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail,
      eventBusName: busName(entry.EventBusName),
    };
    return { result: { EventId: id }, event };
  }

  function putEvents(input: Record<string, unknown>): { status: number; body: object } {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > EVENTBRIDGE_PUT_EVENTS.maxEntries) {
      return error(
        "ValidationException",
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${EVENTBRIDGE_PUT_EVENTS.maxEntries}`,
      );
    }
    const raw = entries as RawEntry[];
    const size = raw.reduce(
      (sum, e) =>
        sum +
        putEventsEntrySize({
          Source: typeof e.Source === "string" ? e.Source : "",
          DetailType: typeof e.DetailType === "string" ? e.DetailType : "",
          Detail: typeof e.Detail === "string" ? e.Detail : undefined,
          Resources: Array.isArray(e.Resources) ? e.Resources.map(String) : undefined,
          Time: e.Time === undefined ? undefined : new Date(0),
        }),
      0,
    );
    if (size > EVENTBRIDGE_PUT_EVENTS.maxBytes)
      return error("ValidationException", "Total size of the entries in the request is over the limit.");
    const missing = raw.map((e) => busName(e.EventBusName)).find((name) => !buses.has(name));
    if (missing !== undefined) return error("ResourceNotFoundException", `Event bus ${missing} does not exist.`);
    const results = raw.map(entryResult);
    for (const { event } of results) if (event) accepted.push(event);
    return {
      status: 200,
      body: { FailedEntryCount: results.filter((r) => r.event === undefined).length, Entries: results.map((r) => r.result) },
    };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => {
        const action = String(req.headers["x-amz-target"] ?? "").replace(/^AWSEvents\./, "");
        const input = parseJsonOrUndefined(body.toString("utf8"));
        const { status, body: answer } =
          action !== "PutEvents"
            ? error("UnknownOperationException", `The local EventBridge stand-in serves PutEvents only, not ${action}.`)
            : input !== null && typeof input === "object"
              ? putEvents(input as Record<string, unknown>)
              : error("SerializationException", "The request body is not a JSON object.");
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
        res.end(JSON.stringify(answer));
      })
      .catch(() => res.destroy());
  });
  const { endpoint, stop } = await listenOnLoopback(server, port);
  return {
    endpoint,
    createBus: (name) => (buses.add(name), arnOf(name)),
    events: () => accepted,
    stop,
  };
}

function error(type: string, message: string): { status: number; body: object } {
  return { status: 400, body: { __type: type, message } };
}
