/**
 * The console: a page at `/` of the local stack (plain HTML, CSS and a script from this folder, no build
 * step) showing the pipeline live, and its endpoints:
 *   GET  /                                       the page
 *   GET  /_local/console/console.js|console.css  its script and style
 *   GET  /_local/console/events                  server-sent events: the snapshot (snapshot.ts) when it changes
 *   GET  /_local/console/snapshot                the same document once, as JSON (for scripts)
 *   POST /_local/console/consumers/NAME/redrive  redrives NAME's on-failure queue to its function (JSON body)
 * The sink's refusal control is the sink's own `/_local/sink/refusal` (sink.ts).
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { isJsonRequest, sendJson, sendText } from "../http-util";
import { LiveUpdates } from "./live-updates";
import { RedriveControl } from "./redrive-control";
import { SnapshotReader, type SnapshotSources } from "./snapshot";

/** The running console. */
export interface LocalConsole {
  /** Serves the request when it is the console's; resolves false otherwise. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  stop(): void;
}

/** What the console reads (its redrive calls the Invoke API at `url`), and where its own errors go. */
export type LocalConsoleDeps = Omit<SnapshotSources, "redrive"> & { readonly log: (line: string) => void };

const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "page.html", type: "text/html; charset=utf-8" },
  "/_local/console/console.js": { file: "console.js", type: "text/javascript; charset=utf-8" },
  "/_local/console/render.js": { file: "render.js", type: "text/javascript; charset=utf-8" },
  "/_local/console/console.css": { file: "console.css", type: "text/css; charset=utf-8" },
};
const REDRIVE_PATH = /^\/_local\/console\/consumers\/([^/]+)\/redrive$/;

export function createLocalConsole(deps: LocalConsoleDeps): LocalConsole {
  const redrive = new RedriveControl({
    sqs: deps.sqs,
    kinesis: deps.kinesis,
    invokeEndpoint: deps.url,
    queueOf: (consumer) => (deps.consumers.some((c) => c.name === consumer) ? deps.status().queues[consumer] : undefined),
  });
  const reader = new SnapshotReader({ ...deps, redrive });
  const live = new LiveUpdates(
    () => reader.read(),
    (error) => deps.log(`console: ${(error as Error).message ?? String(error)}`),
  );
  const assets = new Map(Object.entries(ASSETS).map(([route, asset]) => [route, { ...asset, text: readAsset(asset.file) }]));

  async function serve(req: IncomingMessage, res: ServerResponse, route: string): Promise<boolean> {
    const method = req.method ?? "GET";
    const asset = assets.get(route);
    if (asset && method === "GET") {
      sendText(res, 200, asset.text, asset.type, { "cache-control": "no-store", "x-content-type-options": "nosniff" });
      return true;
    }
    if (route === "/_local/console/events" && method === "GET") {
      live.subscribe(req, res);
      return true;
    }
    if (route === "/_local/console/snapshot" && method === "GET") {
      sendJson(res, 200, await reader.read());
      return true;
    }
    const consumer = REDRIVE_PATH.exec(route)?.[1];
    if (consumer === undefined) return false;
    const name = decodeURIComponent(consumer);
    if (method !== "POST") {
      sendJson(res, 405, { error: { code: "MethodNotAllowed", message: "Use POST." } });
    } else if (!isJsonRequest(req)) {
      sendJson(res, 415, { error: { code: "UnsupportedMediaType", message: "Send content-type application/json." } });
    } else if (!deps.consumers.some((c) => c.name === name)) {
      sendJson(res, 404, { error: { code: "NotFound", message: `No consumer is named "${name}".` } });
    } else if (redrive.running(name)) {
      sendJson(res, 409, { error: { code: "Conflict", message: `A redrive of ${name}'s on-failure queue is already running.` } });
    } else {
      const run = redrive.redrive(name);
      void live.refresh(); // the page shows the run at once
      const state = await run;
      await live.refresh();
      sendJson(res, state.error ? 500 : 200, state);
    }
    return true;
  }

  return {
    serve,
    stop: () => {
      live.stop();
      redrive.stop();
    },
  };
}

function readAsset(file: string): string {
  return readFileSync(path.join(__dirname, file), "utf8");
}
