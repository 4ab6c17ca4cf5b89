/**
 * The bearer token the local API accepts: `INGEST_TOKEN` when set, otherwise one generated on first start
 * and kept in `.local/token`, so a developer's scripts keep working across restarts.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where the generated token is kept, under the project root. */
function tokenFile(projectDir: string): string {
  return path.join(projectDir, ".local", "token");
}

/** The token from `env.INGEST_TOKEN`, else from `.local/token`, else a new one written there. */
export function resolveIngestToken(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.INGEST_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = tokenFile(projectDir);
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (kept) return kept;
  }
  const token = randomBytes(24).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
