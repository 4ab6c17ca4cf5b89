/**
 * The local stack's one HTTP server on 127.0.0.1: the console (`GET /` and `/_local/console/…`, console/),
 * the Lambda Invoke API, `GET /_local/status`, the built-in sink `/_local/sink` and its refusal control
 * `/_local/sink/refusal`, `GET /_local/events` (what the PutEvents stand-in accepted), the local JWT issuer's
 * endpoints, and every other request through the stack's front (fronts/), as deployed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { EventSourceMappingStats } from "./esm";
import type { LocalEvent } from "./event-bus";
import type { LocalFanoutTarget } from "./fanout-targets";
import type { FunctionRegistry } from "./functions";
import { isIssuerPath, serveIssuer, type LocalApi } from "./fronts";
import { readBody, RequestTooLargeError, sendJson } from "./http-util";
import { isInvokePath, serveInvoke } from "./lambda-invoke";
import type { LimitsProxyStats } from "./limits";
import type { Sink } from "./sink";
import type { LocalScalingStatus } from "./stream-scaler";

/** `GET /_local/status`. */
export interface LocalStatus {
  readonly stack: string;
  readonly kinesisEmulator: string;
  readonly limits: boolean;
  /** What clients should use: the limits proxy when `--limits` is on, else the emulator. */
  readonly kinesisEndpoint: string;
  /** The emulator itself (unthrottled). */
  readonly emulatorEndpoint: string;
  readonly sqsEndpoint: string;
  /** The S3 emulator (fauxqs, the SQS endpoint; path-style requests) holding the archivers' buckets. */
  readonly s3Endpoint: string;
  /** Where each archiver writes: `s3://BUCKET/PREFIX`. */
  readonly archives: Readonly<Record<string, string>>;
  readonly secretsManagerEndpoint: string;
  /** The ids of the secrets the local Secrets Manager holds (the API tokens' and each consumer's config). */
  readonly secrets: readonly string[];
  /** The DynamoDB emulator (dynalite) holding the consumers' tables. */
  readonly dynamodbEndpoint: string;
  /** The PutEvents stand-in (`local/event-bus.ts`). */
  readonly eventBridgeEndpoint: string;
  /** The Parameter Store stand-in (`local/parameter-store.ts`). */
  readonly parameterStoreEndpoint: string;
  /** The parameters it holds, name → type (the consumers' created `parameters`). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Each consumer's tables: config name → physical name. */
  readonly tables: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly streamName: string;
  readonly streamArn: string;
  /** The stream's open shard count: as created, or as the local stream scaler last found it. */
  readonly shards: number;
  /** The local stream scaler's scalings and latest decision (`stream.autoscaling` on; stream-scaler.ts). */
  readonly scaling?: LocalScalingStatus;
  readonly functions: readonly string[];
  /** The deployed front run locally, and what its auth mode needs: the iam credentials, the jwt issuer. */
  readonly api: {
    readonly front: string;
    readonly auth: string;
    /** The key sent as `x-api-key`: the REST API's usage plan key, or the AppSync API key (appsync with auth none). */
    readonly apiKey?: string;
    /** The websocket front's URL, `ws://127.0.0.1:<port>/ingest` (websocket only). */
    readonly websocketUrl?: string;
    /** The appsync front's GraphQL endpoint, `http://127.0.0.1:<port>/graphql` (appsync only). */
    readonly graphqlUrl?: string;
    readonly iamCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly region: string };
    readonly jwt?: { readonly issuer: string; readonly jwksUrl: string; readonly tokensUrl: string };
  };
  /** Where each forwarder delivers: `FORWARD_URL`, its `targetUrl`, or the built-in sink. */
  readonly targets: Readonly<Record<string, string>>;
  /** How each forwarder POSTs: `record` (one request per record) or `batch` (`{"records":[...]}` per request). */
  readonly deliveries: Readonly<Record<string, "record" | "batch">>;
  /** Where each fan-out consumer (`sqs`, `sns`, `eventbridge`) publishes. */
  readonly fanoutTargets: Readonly<Record<string, LocalFanoutTarget>>;
  /** On-failure queue URL per consumer. */
  readonly queues: Readonly<Record<string, string>>;
  readonly consumers: Readonly<Record<string, EventSourceMappingStats>>;
  /** Records the sink took and refused, and the POSTs it received (one per record, or one per batch). */
  readonly sink: { readonly accepted: number; readonly rejected: number; readonly requests: number };
  /** What the limits proxy refused (only with `--limits`). */
  readonly throttled?: LimitsProxyStats;
}

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  readonly port: number;
  readonly sink: Sink;
  readonly status: () => LocalStatus;
  /** The events the PutEvents stand-in accepted. */
  readonly events: () => readonly LocalEvent[];
  /** The executions the Step Functions stand-in started (`local/step-functions.ts`). @default none */
  readonly executions?: () => readonly unknown[];
}

/** More routes, served before the sink and the front (the console, console/): resolves false for a request not theirs. */
export interface ExtraRoutes {
  serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

/** The running server; the functions are attached once built (they need the server's URL for the sink). */
export interface LocalServer {
  readonly url: string;
  attach(functions: FunctionRegistry, api: LocalApi, routes?: ExtraRoutes): void;
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1:`port`; rejects with a clear message when the port is taken. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  let functions: FunctionRegistry | undefined;
  let api: LocalApi | undefined;
  let extraRoutes: ExtraRoutes | undefined;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const method = req.method ?? "GET";
    const body = await readBody(req);
    if (!functions || !api) return sendJson(res, 503, { message: "Service Unavailable: the local stack is starting." });
    if (path === "/_local/status" && method === "GET") return sendJson(res, 200, options.status());
    if (extraRoutes && (await extraRoutes.serve(req, res, path))) return;
    if (path === "/_local/sink") return options.sink.serve(req, res, body);
    if (path === "/_local/sink/refusal") return options.sink.serveRefusal(req, res, body);
    if (path === "/_local/events" && method === "GET") return sendJson(res, 200, { events: options.events() });
    if (path === "/_local/executions" && method === "GET") return sendJson(res, 200, { executions: options.executions?.() ?? [] });
    if (isInvokePath(path)) return serveInvoke(functions, req, res, body);
    if (isIssuerPath(path)) return serveIssuer(api, req, res, body);
    return api.front.serve(req, res, body);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof RequestTooLargeError) return sendJson(res, 413, { message: "Request Entity Too Large" });
      console.error(`${req.method} ${req.url}: ${error.stack ?? error.message}`);
      sendJson(res, 500, { message: "Internal Server Error" });
    });
  });
  server.keepAliveTimeout = 65_000;
  // WebSocket handshakes go to the front that serves them (the websocket front); others are refused.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const upgrade = api?.front.upgrade?.bind(api.front);
    if (!upgrade) return void socket.destroy();
    upgrade(req, socket, head).catch((error: Error) => {
      console.error(`upgrade ${req.url}: ${error.stack ?? error.message}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" ? new Error(`Port ${options.port} on 127.0.0.1 is in use; pick another with --port or PORT.`) : error,
      ),
    );
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    attach: (registry, localApi, routes) => {
      functions = registry;
      api = localApi;
      extraRoutes = routes;
    },
    stop: async () => {
      const closed = once(server, "close");
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
