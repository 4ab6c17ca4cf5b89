/**
 * The keys of the fan-out consumers (`handler: sqs | sns | eventbridge`): `targetArn`, `fifo`, `eventBus`,
 * `source` and `detailType`, each only for the kinds that read it, validated as the services accept them
 * (docs/aws-semantics.md#fan-out-targets-sqs-sns-eventbridge). Defaults that depend on the stack name (an
 * event's source and detail type) are filled in by {@link eventBridgeEvent}.
 */
import { eventDetailTypeProblem, eventSourceProblem } from "../semantics/fanout-limits";
import { FANOUT_HANDLERS, type FanoutHandler } from "./defaults";
import { PROJECT } from "./project";
import { checkArnPartition } from "./region-rules";
import { boolean, oneOf, type Problems, type RawObject } from "./rules";
import { FANOUT_SETTINGS } from "./schema/consumer-kinds";
import { defaultsOf, keysOf } from "./schema/kit";
import type { FanoutConfig } from "./types";

/** Which fan-out kinds read each key. */
// `targetArn` is also how a `stepfunctions` consumer names an existing state machine (step-functions-settings.ts).
const KEY_KINDS: Readonly<Record<keyof typeof FANOUT_SETTINGS, readonly string[]>> = {
  targetArn: [...FANOUT_HANDLERS, "stepfunctions"],
  fifo: ["sqs", "sns"],
  eventBus: ["eventbridge"],
  source: ["eventbridge"],
  detailType: ["eventbridge"],
};

/** The keys {@link readFanoutSettings} reads, for the consumer's list of known keys. */
export const FANOUT_KEYS = keysOf(FANOUT_SETTINGS);

/** A standard queue or topic, a custom event bus the program creates. */
const DEFAULTS = defaultsOf(FANOUT_SETTINGS);

/** The ARN of an existing target, per kind, with what a message shows as allowed. */
const TARGET_ARNS: Readonly<Record<FanoutHandler, { readonly pattern: RegExp; readonly allowed: string }>> = {
  sqs: {
    pattern: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,75}(\.fifo|[A-Za-z0-9_-]{0,5})$/,
    allowed:
      "an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders (name: 1 to 80 letters, digits, `_` or `-`, FIFO ending .fifo)",
  },
  sns: {
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,251}(\.fifo|[A-Za-z0-9_-]{0,5})$/,
    allowed:
      "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:orders (name: 1 to 256 letters, digits, `_` or `-`, FIFO ending .fifo)",
  },
  eventbridge: {
    pattern: /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/,
    allowed: "an EventBridge event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/orders",
  },
};

/** Whether `handler` is a fan-out kind. */
export function isFanoutHandler(handler: string | undefined): handler is FanoutHandler {
  return (FANOUT_HANDLERS as readonly string[]).includes(handler ?? "");
}

/**
 * Reads the fan-out keys of consumer `at` (its `handler` already read): refuses them on kinds that do not read
 * them, checks each, and returns `{ fanout }` for a fan-out kind, `{}` for any other.
 */
export function readFanoutSettings(p: Problems, at: string, handler: string | undefined, c: RawObject): { fanout?: FanoutConfig } {
  const key = (name: string) => `${at}.${name}`;
  for (const [name, kinds] of Object.entries(KEY_KINDS)) {
    if (handler !== undefined && c[name] !== undefined && !kinds.includes(handler))
      p.say(`\`${key(name)}\` applies only to handler ${kinds.join(" or ")}; ${JSON.stringify(handler)} does not read it`);
  }
  if (!isFanoutHandler(handler)) return {};
  // A batched consumer returns no `state`, which Lambda requires of every response with a tumbling window.
  if (typeof c.tumblingWindowSeconds === "number" && c.tumblingWindowSeconds > 0)
    p.say(
      `\`${key("tumblingWindowSeconds")}\` must be 0 for handler ${handler} (with a tumbling window Lambda requires every response to carry \`state\`, which it does not return), got ${c.tumblingWindowSeconds}`,
    );
  const arn = TARGET_ARNS[handler];
  const targetArn =
    c.targetArn === undefined
      ? undefined
      : typeof c.targetArn === "string" && arn.pattern.test(c.targetArn)
        ? checkArnPartition(p, key("targetArn"), c.targetArn)
          ? c.targetArn
          : undefined
        : p.add(key("targetArn"), arn.allowed, c.targetArn);
  const fifo = handler === "eventbridge" ? false : boolean(p, key("fifo"), c.fifo ?? DEFAULTS.fifo);
  if (targetArn !== undefined && fifo !== undefined && targetArn.endsWith(".fifo") !== fifo)
    p.say(
      fifo
        ? `\`${key("targetArn")}\` must name a FIFO ${handler === "sqs" ? "queue" : "topic"} (ending .fifo) when \`${key("fifo")}\` is true, got ${JSON.stringify(targetArn)}`
        : `\`${key("targetArn")}\` names a FIFO ${handler === "sqs" ? "queue" : "topic"}: set \`${key("fifo")}\` to true (messages need a group id), got ${JSON.stringify(targetArn)}`,
    );
  const eventBus =
    handler === "eventbridge" ? oneOf(p, key("eventBus"), c.eventBus ?? DEFAULTS.eventBus, FANOUT_SETTINGS.eventBus.enum) : "custom";
  if (handler === "eventbridge" && targetArn !== undefined && c.eventBus !== undefined)
    p.say(`\`${key("eventBus")}\` chooses the bus the program uses when there is no \`${key("targetArn")}\`; set one of them, not both`);
  const text = (name: "source" | "detailType", problem: (v: string) => string | undefined): string | undefined => {
    const value = c[name];
    if (value === undefined || handler !== "eventbridge") return undefined;
    if (typeof value !== "string") return p.add(key(name), "a string", value);
    const why = problem(value);
    return why === undefined ? value : p.say(`\`${key(name)}\` ${why}, got ${JSON.stringify(value)}`);
  };
  const source = text("source", eventSourceProblem);
  const detailType = text("detailType", eventDetailTypeProblem);
  return { fanout: { targetArn, fifo: fifo ?? false, eventBus: eventBus ?? "custom", source, detailType } };
}

/**
 * An eventbridge consumer's events' `Source` and `DetailType`: its own, else `kinesis-ingest.<stack>` and
 * `<consumer> record`.
 * @example eventBridgeEvent("dev", "orders", fanout) // { source: "kinesis-ingest.dev", detailType: "orders record" }
 */
export function eventBridgeEvent(stack: string, consumer: string, fanout: FanoutConfig): { source: string; detailType: string } {
  return { source: fanout.source ?? `${PROJECT}.${stack}`, detailType: fanout.detailType ?? `${consumer} record` };
}
