/**
 * Headless Chromium for the browser tests: Debian's `chromium` package (`.ci/run` installs it with apt-get)
 * driven by playwright-core through its executable path, with a fresh profile each launch. There is no
 * fallback: when the browser is missing the test fails and says how to install it, it never skips.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A browser with its own profile directory, removed again by `close`. */
export interface HeadlessBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium at 1280×900, a laptop's width. */
export async function launchChromium(): Promise<HeadlessBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's package (sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), "kinesis-ingest-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a test keeps what it produced for a person to look at (screenshots): `.local/artefacts/`, never committed. */
export function artefactPath(file: string): string {
  const dir = path.resolve(__dirname, "../../../.local/artefacts");
  return path.join(dir, file);
}
