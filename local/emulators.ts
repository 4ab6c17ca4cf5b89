/**
 * The Kinesis and SQS API emulators, started on 127.0.0.1 and stopped cleanly. Used by the local stack,
 * the tests and the benchmarks, so all three run against the same real emulators.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import type { Server as HttpServer } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";
import { once } from "node:events";
import path from "node:path";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";

export type KinesisEmulatorKind = "kinesalite" | "kinesis-local";

/** A running emulator: its endpoint URL and how to stop it. */
export interface RunningEmulator {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
  /** For an emulator run as a child process: settles when that process exits, for whatever reason. */
  readonly exited?: Promise<void>;
}

/** Credentials and region every emulator accepts; real AWS never sees them. */
export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";
const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/** Asks the OS for a free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server: Server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/** Starts kinesalite in-process (fast; no resharding by UpdateShardCount, no enhanced fan-out). */
export async function startKinesalite(port = 0): Promise<RunningEmulator> {
  const kinesalite = require("kinesalite") as (opts: Record<string, number>) => Server;
  return listenOnLoopback(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 }), port);
}

/**
 * Serves an in-process server on 127.0.0.1 (`port` 0: a free one); `stop` closes it, keep-alive connections
 * included (an SDK client's idle sockets would otherwise hold `close` open).
 */
export async function listenOnLoopback(server: Server, port: number): Promise<RunningEmulator> {
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    stop: () => {
      if ("closeAllConnections" in server) (server as HttpServer).closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts kinesis-local (LocalStack's kinesis-mock, complete API) as a child process bound to 127.0.0.1 (port 0: a free one). */
export async function startKinesisLocal(port?: number): Promise<RunningEmulator> {
  const plainPort = port || (await freePort());
  const tlsPort = await freePort();
  const dir = path.dirname(require.resolve("kinesis-local/package.json"));
  const preloads = ["bind-loopback.cjs", "exit-with-stack.cjs"].flatMap((file) => ["-r", path.join(__dirname, file)]);
  const child = spawn(process.execPath, [...preloads, path.join(dir, "main.js")], {
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: path.join(dir, "server.json"),
      CREATE_STREAM_DURATION: "0ms",
      SPLIT_SHARD_DURATION: "0ms",
      MERGE_SHARDS_DURATION: "0ms",
      UPDATE_SHARD_COUNT_DURATION: "0ms",
      REGISTER_STREAM_CONSUMER_DURATION: "0ms",
      LOG_LEVEL: "WARN",
      AWS_REGION: LOCAL_REGION,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = once(child, "exit").then(() => undefined);
  await waitForPort(plainPort, child, 20_000);
  return { endpoint: `http://127.0.0.1:${plainPort}`, port: plainPort, stop: () => stopChild(child), exited };
}

/** Starts the chosen Kinesis emulator. */
export function startKinesis(kind: KinesisEmulatorKind, port?: number): Promise<RunningEmulator> {
  return kind === "kinesalite" ? startKinesalite(port) : startKinesisLocal(port);
}

/**
 * Starts fauxqs in-process on 127.0.0.1 (its own starter hard-codes 0.0.0.0): the SQS API, and the S3 API
 * on the same endpoint (path-style requests, see {@link localS3Client}).
 */
export async function startSqs(port = 0): Promise<RunningEmulator> {
  const { buildApp } = (await import("fauxqs")) as typeof import("fauxqs");
  const app = buildApp({ logger: false, defaultRegion: LOCAL_REGION });
  const address = await app.listen({ port, host: "127.0.0.1" });
  const actual = Number(new URL(address).port);
  return { endpoint: `http://127.0.0.1:${actual}`, port: actual, stop: () => app.close() };
}

/** A Kinesis client for an emulator: HTTP/1.1 (the default HTTP/2 handler fails some calls with `Protocol error`). */
export function localKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: localCredentials,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
}

/** An SNS client for the emulator (fauxqs serves SNS on its SQS endpoint). */
export function localSnsClient(endpoint: string): SNSClient {
  return new SNSClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
}

/** An EventBridge client for the local PutEvents stand-in. */
export function localEventBridgeClient(endpoint: string): EventBridgeClient {
  return new EventBridgeClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
}

/** A Secrets Manager client for the local stand-in (`secrets-endpoint.ts`). */
export function localSecretsManagerClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
}

/** An SQS client for the emulator. */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
}

/**
 * An S3 client for the emulator: path-style URLs (`http://127.0.0.1:PORT/BUCKET/KEY`), since a bucket's
 * virtual host name would not resolve to the loopback address.
 */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: localCredentials });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kinesis-local exited with code ${child.exitCode}: ${stderr}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = require("node:net").connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`kinesis-local did not listen on 127.0.0.1:${port} within ${timeoutMs} ms: ${stderr}`);
}

/** SIGTERM, then SIGKILL after 2 s: kinesis-local sometimes ignores SIGTERM. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}
