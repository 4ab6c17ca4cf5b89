/**
 * The fan-out functions' settings from their environment, as the program (and the local stack) set them,
 * with errors naming the variable: `TARGET_QUEUE_URL` (sqs), `TARGET_TOPIC_ARN` (sns), `FIFO` (`true` for a
 * FIFO queue or topic), `EVENT_BUS_NAME`, `EVENT_SOURCE`, `EVENT_DETAIL_TYPE` (eventbridge).
 */

/** A variable that must be set. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; it must name ${what}.`);
  return value;
}

/** `FIFO`: `true` or unset/`false`. */
export function fifoFromEnv(env: NodeJS.ProcessEnv): boolean {
  const value = env.FIFO;
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new Error(`FIFO must be "true" or "false", got "${value}".`);
}
