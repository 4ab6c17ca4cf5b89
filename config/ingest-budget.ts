/**
 * The ingest function's time budget per front, from how long each front waits for it
 * (semantics/front-timeouts.ts): the function timeout never outlasts the front, and the PutRecords retry
 * deadline (passed to the function as `INGEST_DEADLINE_MS`) ends early enough to answer before the front
 * gives up, so an answer always says what was stored and a client never retries writes that landed.
 */
import { FRONT_TIMEOUT_MS } from "../semantics/front-timeouts";
import type { ApiFront } from "./types";

/**
 * Kept between the write deadline and the front's timeout: the function's cold start (counted by the front,
 * not by `getRemainingTimeInMillis`), one PutRecords call cut off at the deadline, and writing the answer.
 */
const ANSWER_RESERVE_MS = 3000;

/** What the program gives the ingest function on one front. */
export interface IngestBudget {
  /** The function timeout: at most the front's own timeout (whole seconds, as Lambda takes it). */
  readonly timeoutSeconds: number;
  /** Milliseconds from the handler's start until the last PutRecords call must have finished. */
  readonly deadlineMs: number;
}

/** The ALB waits up to its idle timeout; the function is kept at the API Gateway fronts' 30 s all the same. */
const ALB_FUNCTION_TIMEOUT_SECONDS = 30;

/** The ingest budget of `front`. */
export function ingestBudget(front: ApiFront): IngestBudget {
  const frontMs = FRONT_TIMEOUT_MS[front];
  const timeoutSeconds = front === "alb" ? Math.min(ALB_FUNCTION_TIMEOUT_SECONDS, Math.floor(frontMs / 1000)) : Math.floor(frontMs / 1000);
  return { timeoutSeconds, deadlineMs: Math.min(frontMs, timeoutSeconds * 1000) - ANSWER_RESERVE_MS };
}
