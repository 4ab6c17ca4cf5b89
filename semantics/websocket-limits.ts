/**
 * API Gateway WebSocket API quotas the `websocket` front lives with, none of which can be raised
 * ("Quotas for configuring and running a WebSocket in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 * A message over 32 KB must be split into frames of 32 KB or less; a larger message or frame closes the
 * connection with code 1009. The deployed gateway enforces these; the local front (local/fronts/websocket.ts)
 * and the producer (client/websocket-producer.ts) read them from here.
 */
const KIB = 1024;

/** Largest message payload, after its frames are joined. */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 128 * KIB;
/** Largest single frame. */
export const MAX_WEBSOCKET_FRAME_BYTES = 32 * KIB;
/** A connection with no message either way for this long is closed. */
export const WEBSOCKET_IDLE_TIMEOUT_MS = 10 * 60_000;
/** Any connection is closed after this long, busy or not. */
export const WEBSOCKET_MAX_CONNECTION_MS = 2 * 60 * 60_000;
/** RFC 6455 close code 1009 "message too big": what API Gateway closes with past either size limit. */
export const CLOSE_MESSAGE_TOO_BIG = 1009;
/** RFC 6455 close code 1001 "going away": how an idle or expired connection is closed. */
export const CLOSE_GOING_AWAY = 1001;
