/**
 * `kinesis-ingest:lifecycle`: how the stack guards its data-bearing resources (the stream, tables, the
 * archive bucket, on-failure and fan-out queues and topics). They are always retained when Pulumi deletes
 * them; `protect` also makes Pulumi refuse to delete or replace them, by default on the production stack
 * only (docs/day-2.md#data-bearing-resources).
 */
import { PRODUCTION_STACK } from "./defaults";
import { boolean, Problems, rejectUnknownKeys, type RawObject } from "./rules";
import { keysOf } from "./schema/kit";
import { LIFECYCLE } from "./schema/lifecycle";
import type { LifecycleConfig } from "./types";

/** `lifecycle.protect`, defaulting to true for the stack named `prod` (false when the stack is not known). */
export function readLifecycle(p: Problems, l: RawObject, stack: string | undefined): Partial<LifecycleConfig> {
  rejectUnknownKeys(p, "lifecycle", l, keysOf(LIFECYCLE));
  return { protect: boolean(p, "lifecycle.protect", l.protect ?? stack === PRODUCTION_STACK) };
}
