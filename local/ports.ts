/**
 * The emulators' ports. By default each is derived from the API's `--port` (3000: Kinesis 3001, SQS/SNS/S3
 * 3002, …), so endpoints, `--endpoint-url`s and AWS CLI profiles stay the same from one start to the next;
 * `--ports random` (or `--port 0`) gives each a free port instead, for stacks run side by side.
 */
import { createServer } from "node:net";
import { once } from "node:events";

/** Each emulator's port: `--port` plus this. */
export const PORT_OFFSETS = {
  kinesis: 1,
  sqs: 2,
  secretsManager: 3,
  dynamodb: 4,
  eventBridge: 5,
  limitsProxy: 6,
  parameterStore: 7,
} as const;

export type EmulatorName = keyof typeof PORT_OFFSETS;

/** Where each emulator listens; 0: a free port. */
export type EmulatorPorts = Readonly<Record<EmulatorName, number>>;

/** `fixed`: derived from `--port`; `random`: a free port each. */
export type PortMode = "fixed" | "random";

/** Every emulator on a free port. */
export const RANDOM_PORTS: EmulatorPorts = emulatorPorts(0, "random");

/** The emulators' ports for an API on `apiPort` (checked by args.ts): `apiPort + offset` each, or all 0 with `random` or port 0. */
export function emulatorPorts(apiPort: number, mode: PortMode): EmulatorPorts {
  const random = mode === "random" || apiPort === 0;
  const entries = Object.entries(PORT_OFFSETS).map(([name, offset]) => [name, random ? 0 : apiPort + offset]);
  return Object.fromEntries(entries) as EmulatorPorts;
}

/**
 * Starts an emulator on its port; a port already taken fails naming the emulator, the port and the way out
 * (another `--port`, or `--ports random`), instead of the bare EADDRINUSE.
 */
export async function onPort<T>(ports: EmulatorPorts, name: EmulatorName, start: (port: number) => Promise<T>): Promise<T> {
  const port = ports[name];
  try {
    if (port !== 0) await assertFree(port); // a child process's emulator would not say so itself
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new Error(
      `Port ${port} on 127.0.0.1, the ${name} emulator's (--port + ${PORT_OFFSETS[name]}), is in use: pick another --port, or --ports random to give each emulator a free port.`,
      { cause: error },
    );
  }
}

/** Resolves when nothing listens on 127.0.0.1:`port`; rejects with EADDRINUSE otherwise. */
async function assertFree(port: number): Promise<void> {
  const probe = createServer();
  probe.listen(port, "127.0.0.1");
  await once(probe, "listening");
  probe.close();
  await once(probe, "close");
}
