/**
 * dynalite in a child process on 127.0.0.1, for a benchmark whose figures include the idempotency store's
 * calls: as on AWS, where DynamoDB's work is another machine's, the store's requests then cost the function's
 * thread only the round trip. Its own file because where the emulator runs is a choice of the measurement,
 * apart from the scenario measured.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";

/** dynalite in its own process on 127.0.0.1, as DynamoDB is another machine's work. */
export async function startRemoteDynalite(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const script = `const s = require("dynalite")({ createTableMs: 0 }); s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ["-e", script], { cwd: `${__dirname}/..`, stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return {
    endpoint: `http://127.0.0.1:${chunk.toString().trim()}`,
    stop: async () => void (child.kill(), await once(child, "exit")),
  };
}
