/** What the `sqs` and `sns` kinds share: `FIFO` (`true` for a FIFO queue or topic; unset or `false` otherwise). */
import type { EnvironmentSource, Variables } from "./variables";

export const FIFO_VARIABLE = "FIFO";

/** `FIFO=true` for a FIFO target; nothing for a standard one. */
export function fifoEnvironment(fifo: boolean): Variables {
  return fifo ? { [FIFO_VARIABLE]: "true" } : {};
}

/** `FIFO`: `true`, or unset/`false`. */
export function fifoFromEnv(env: EnvironmentSource): boolean {
  const value = env[FIFO_VARIABLE];
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new Error(`${FIFO_VARIABLE} must be "true" or "false", got "${value}".`);
}
