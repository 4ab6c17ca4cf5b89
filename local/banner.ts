/**
 * The start-up banner's warnings: what a local run does that a newcomer would not guess from the stack
 * file alone — a sink that refuses records on purpose, and consumers that deliver to real downstream URLs —
 * and its `auth:` line, how to call the front the stack deploys.
 */
import type { LocalStatus } from "./server";

/** What the notes are drawn from. */
export interface BannerInput {
  /** Consumer name → the URL its forwarder delivers to. */
  readonly targets: Readonly<Record<string, string>>;
  /** The built-in sink's URL (`…/_local/sink`). */
  readonly sinkUrl: string;
  /** `FORWARD_URL`; undefined when unset. */
  readonly forwardUrl: string | undefined;
  /** `SINK_REJECT_FIELD`; undefined when unset. */
  readonly sinkRejectField: string | undefined;
  /** Consumer name → its `layers`, which the local stack does not run. @default none */
  readonly layers?: Readonly<Record<string, readonly string[]>>;
}

/**
 * One line per thing to know, each starting with `note:`.
 *
 * @example
 * startupNotes({ targets: { forwarder: "https://events.example.com" }, sinkUrl, forwardUrl: undefined, sinkRejectField: undefined }) // ["note: forwarder delivers to https://events.example.com …"]
 */
export function startupNotes(input: BannerInput): string[] {
  const notes: string[] = [];
  if (input.sinkRejectField !== undefined) {
    notes.push(
      `note: SINK_REJECT_FIELD=${input.sinkRejectField}: the sink refuses (422) every record whose data has "${input.sinkRejectField}": true, to exercise the on-failure path`,
    );
  }
  if (input.forwardUrl === undefined) {
    for (const [consumer, target] of Object.entries(input.targets)) {
      if (target === input.sinkUrl) continue;
      notes.push(
        `note: ${consumer} delivers to ${target}, its targetUrl in the stack file: local records reach that real downstream; set FORWARD_URL (e.g. FORWARD_URL=${input.sinkUrl}) to deliver elsewhere`,
      );
    }
  }
  for (const [consumer, layers] of Object.entries(input.layers ?? {})) {
    if (layers.length === 0) continue;
    // A layer is code in the Lambda account (an extension, a shared library): there is nothing to run locally.
    notes.push(
      `note: ${consumer} has ${layers.length} Lambda layer${layers.length === 1 ? "" : "s"} (${layers.join(", ")}), which the local stack does not run: its module runs without them`,
    );
  }
  return notes;
}

/**
 * How a caller authenticates to the local front, as the banner's `auth:` line says it: the stack's front and
 * auth mode, the bearer token, the minting command, the local SigV4 credentials, the REST API key.
 *
 * @example
 * authLine({ front: "http-api", auth: "token" }, "http://127.0.0.1:3000", "s3cr3t") // "auth: http-api, token: Authorization: Bearer s3cr3t"
 */
export function authLine(api: LocalStatus["api"], url: string, token: string): string {
  // AppSync takes a JWT bare in `Authorization` (no `Bearer `); API Gateway takes either.
  const jwtPrefix = api.front === "appsync" ? "" : "Bearer ";
  const how =
    api.auth === "none"
      ? api.front === "appsync"
        ? "the API key (AppSync's API_KEY mode)"
        : "no credential"
      : api.auth === "token"
        ? `Authorization: Bearer ${token}`
        : api.auth === "jwt"
          ? `Authorization: ${jwtPrefix}$(kinesis-ingest token --endpoint ${url}) (iss ${api.jwt?.issuer}, JWKS ${url}/_local/jwks.json)`
          : api.auth === "cognito"
            ? `Authorization: ${jwtPrefix}$(kinesis-ingest token --endpoint ${url} --token-use id) (the local user pool, iss ${api.jwt?.issuer})`
            : `SigV4 for ${api.front === "appsync" ? "appsync" : "execute-api"} in ${api.iamCredentials?.region} with access key ${api.iamCredentials?.accessKeyId} and secret ${api.iamCredentials?.secretAccessKey}`;
  return `  auth: ${api.front}, ${api.auth}: ${how}${api.apiKey ? `; x-api-key: ${api.apiKey}` : ""}`;
}
