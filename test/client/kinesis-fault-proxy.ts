/**
 * A fault layer in front of kinesalite for PutRecords: throttles whole calls (400
 * ProvisionedThroughputExceededException) and individual entries (`ErrorCode` set, the entry not written),
 * as Kinesis does; the entries it lets through are written by the real emulator.
 */
import { createServer } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { KinesisUpstream } from "../../local/limits/upstream";

export interface PutEntryJson {
  readonly Data: string;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}

export interface FaultRules {
  /** Throttle the whole PutRecords call number `call` (0-based). */
  throttleCall?: (call: number) => boolean;
  /** Throttle this entry of call number `call`. */
  throttleEntry?: (entry: PutEntryJson, call: number) => boolean;
}

export interface RunningFaultProxy {
  readonly endpoint: string;
  readonly counts: { calls: number; throttledCalls: number; throttledEntries: number; passedEntries: number };
  rules: FaultRules;
  stop(): Promise<void>;
}

const THROTTLED = "ProvisionedThroughputExceededException";

export async function startFaultProxy(target: string, rules: FaultRules = {}): Promise<RunningFaultProxy> {
  const upstream = new KinesisUpstream(target);
  const counts = { calls: 0, throttledCalls: 0, throttledEntries: 0, passedEntries: 0 };
  const proxy: RunningFaultProxy = { endpoint: "", counts, rules, stop: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const reply = (status: number, payload: Buffer | string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...headers });
        res.end(payload);
      };
      if (req.headers["x-amz-target"] !== "Kinesis_20131202.PutRecords") {
        const answer = await upstream.send(req.headers, body);
        return reply(answer.status, answer.body);
      }
      const call = counts.calls++;
      if (proxy.rules.throttleCall?.(call)) {
        counts.throttledCalls++;
        return reply(400, JSON.stringify({ __type: THROTTLED, message: "Rate exceeded for stream (fault layer)." }), {
          "x-amzn-errortype": THROTTLED,
        });
      }
      const input = JSON.parse(body.toString("utf8")) as { Records: PutEntryJson[] };
      const throttled = input.Records.map((entry) => proxy.rules.throttleEntry?.(entry, call) ?? false);
      const admitted = input.Records.filter((_, i) => !throttled[i]);
      counts.throttledEntries += input.Records.length - admitted.length;
      counts.passedEntries += admitted.length;
      let written: unknown[] = [];
      if (admitted.length > 0) {
        const answer = await upstream.send(req.headers, Buffer.from(JSON.stringify({ ...input, Records: admitted })));
        if (answer.status !== 200) return reply(answer.status, answer.body);
        written = (JSON.parse(answer.body.toString("utf8")) as { Records: unknown[] }).Records;
      }
      let next = 0;
      const records = throttled.map((t) =>
        t ? { ErrorCode: THROTTLED, ErrorMessage: "Rate exceeded for shard (fault layer)." } : written[next++],
      );
      reply(200, JSON.stringify({ FailedRecordCount: throttled.filter(Boolean).length, Records: records }));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      upstream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
