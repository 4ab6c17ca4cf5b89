/**
 * The effectively-once benchmark's downstream: an HTTP server on 127.0.0.1 that answers the forwarder 400
 * for a refused (poison) record on every delivery, 503 for a share of the other deliveries drawn from a
 * seeded sequence (so every run at a rate fails the same deliveries), and 200 otherwise, counting each
 * record it accepted. Its own file because what the downstream does, and what it counts, is the scenario
 * the table measures against.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running downstream. */
export interface FlakyDownstream {
  /** The URL the forwarder POSTs to. */
  readonly url: string;
  /** Accepted deliveries by record number (`data.n`), since the last `reset`. */
  accepted(): ReadonlyMap<number, number>;
  /** Starts a run: 503 to a `failureRate` share of deliveries, drawn from the sequence of `seed`; nothing accepted yet. */
  reset(failureRate: number, seed: number): void;
  /** Ends the 503s and keeps the counts: the redrive after a run meets a steady downstream (still refusing poison). */
  steady(): void;
  stop(): Promise<void>;
}

/** A deterministic PRNG (mulberry32), so every run at a rate draws from the same sequence. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the downstream, failing no delivery until the first `reset`; `isPoison(n)` says which records it refuses. */
export async function startFlakyDownstream(isPoison: (n: number) => boolean): Promise<FlakyDownstream> {
  let failureRate = 0;
  let random = prng(1);
  let accepted = new Map<number, number>();
  const downstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const n = (JSON.parse(Buffer.concat(chunks).toString()) as { data: { n: number } }).data.n;
      if (isPoison(n)) return void res.writeHead(400).end();
      if (random() < failureRate) return void res.writeHead(503).end();
      accepted.set(n, (accepted.get(n) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  downstream.listen(0, "127.0.0.1");
  await once(downstream, "listening");
  return {
    url: `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/events`,
    accepted: () => accepted,
    reset: (rate, seed) => {
      failureRate = rate;
      random = prng(seed);
      accepted = new Map();
    },
    steady: () => {
      failureRate = 0;
    },
    stop: async () => {
      downstream.closeAllConnections();
      await new Promise<void>((resolve) => downstream.close(() => resolve()));
    },
  };
}
