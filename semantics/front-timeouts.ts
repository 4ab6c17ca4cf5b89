/**
 * How long each front waits for the ingest function before it answers the client itself
 * (docs/aws-semantics.md#api-fronts): past this, the client gets a timeout answer while the function may
 * still be writing, so the function's write deadline must end earlier, with room to answer.
 */
import { APPSYNC_EXECUTION_TIMEOUT_MS } from "./appsync";

/**
 * Milliseconds each front gives one request. HTTP API: 30 s integration timeout (fixed). REST API: 29 s
 * integration timeout (the default). ALB: no integration timeout of its own; its connection idle timeout
 * (60 s by default) bounds a request, and the function timeout bounds the invocation. WebSocket API: 29 s
 * integration timeout on every route (semantics/websocket-limits.ts cites the quota table). AppSync: 30 s
 * execution time per query or mutation (semantics/appsync.ts).
 */
export const FRONT_TIMEOUT_MS: {
  readonly "http-api": number;
  readonly "rest-api": number;
  readonly alb: number;
  readonly websocket: number;
  readonly appsync: number;
} = {
  "http-api": 30_000,
  "rest-api": 29_000,
  alb: 60_000,
  websocket: 29_000,
  appsync: APPSYNC_EXECUTION_TIMEOUT_MS,
};
