/**
 * Server-sent events for the console page: while at least one page listens, the snapshot is read once a
 * second and sent (`event: snapshot`, its JSON as data) whenever it changed, and at once to a page that
 * connects. No page listening, nothing is read. A comment line every 15 s keeps idle connections open.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** How often the snapshot is read while a page listens. */
const REFRESH_MS = 1000;
const KEEPALIVE_MS = 15_000;

export class LiveUpdates {
  private readonly pages = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private reading: Promise<void> | undefined;
  private again = false;

  /** @param read the snapshot now, as a JSON-serialisable value */
  constructor(
    private readonly read: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Serves `GET …/events`: the stream stays open until the page goes away or the stack stops. */
  subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write("retry: 1000\n\n"); // the page's EventSource reconnects after 1 s if the stack restarts
    this.pages.add(res);
    if (this.last !== undefined) res.write(frame(this.last));
    req.on("close", () => {
      this.pages.delete(res);
      if (this.pages.size === 0) this.pause();
    });
    this.resume();
    void this.refresh();
  }

  /** Reads the snapshot now and sends it if it changed (after a control acted: no wait for the next second). */
  refresh(): Promise<void> {
    if (this.pages.size === 0) return Promise.resolve();
    if (this.reading) {
      this.again = true; // one more read after this one, so what just changed is seen
      return this.reading;
    }
    this.reading = this.read()
      .then((snapshot) => {
        const text = JSON.stringify(snapshot);
        if (text === this.last) return;
        this.last = text;
        for (const page of this.pages) page.write(frame(text));
      })
      .catch(this.onError)
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.reading;
  }

  /** Ends every page's stream and stops reading. */
  stop(): void {
    this.pause();
    for (const page of this.pages) page.end();
    this.pages.clear();
  }

  private resume(): void {
    this.timer ??= setInterval(() => void this.refresh(), REFRESH_MS).unref();
    this.keepalive ??= setInterval(() => this.pages.forEach((page) => page.write(": keepalive\n\n")), KEEPALIVE_MS).unref();
  }

  private pause(): void {
    clearInterval(this.timer);
    clearInterval(this.keepalive);
    this.timer = this.keepalive = undefined;
    this.last = undefined; // a page connecting later gets a fresh read
  }
}

/** One event of the stream: JSON has no raw newlines, so one `data:` line carries it. */
function frame(json: string): string {
  return `event: snapshot\ndata: ${json}\n\n`;
}
