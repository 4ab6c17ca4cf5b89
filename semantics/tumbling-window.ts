/**
 * Lambda's tumbling windows for Kinesis (docs/aws-semantics.md#tumbling-windows): the state a function
 * carries from one invocation of a window to the next.
 */

/** Lambda keeps at most 1 MB of window state per shard; a larger state ends the window early. */
export const MAX_WINDOW_STATE_BYTES = 1024 * 1024;
