/**
 * A tiny Secrets Manager endpoint (JSON protocol, `X-Amz-Target: secretsmanager.<Action>`) serving the
 * secrets the local stack creates, so the handlers' real SDK clients and `handlers/lib/secrets.ts` run
 * unchanged with `AWS_ENDPOINT_URL_SECRETS_MANAGER` pointing here. GetSecretValue, PutSecretValue (to try
 * rotation by hand), ListSecrets (every secret in one page; `Filters` on `name` or `all`, by prefix, as AWS)
 * and DescribeSecret, so `aws secretsmanager list-secrets` finds the ids; anything else is refused by name.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { listenOnLoopback, LOCAL_ACCOUNT, LOCAL_REGION } from "./emulators";
import { parseJsonOrUndefined, readBody } from "./http-util";
import type { StackNames } from "../config/names";
import { tokenHash } from "../handlers/lib/bearer-token";

interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  value: string;
  versionId: string;
  createdAt: number;
  /** When the value last changed, epoch seconds. */
  changedAt: number;
}

/** The actions served, besides which everything is refused by name. */
const ACTIONS = ["GetSecretValue", "PutSecretValue", "ListSecrets", "DescribeSecret"];

/** A running local Secrets Manager. */
export interface LocalSecretsManager {
  readonly endpoint: string;
  /** Creates or replaces a secret's value (a JSON-serialisable value is stored as its JSON text). */
  put(name: string, value: unknown): void;
  stop(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 (a free port unless `port` is given). */
export async function startSecretsEndpoint(port = 0): Promise<LocalSecretsManager> {
  const secrets = new Map<string, StoredSecret>();

  function put(name: string, value: unknown): void {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const existing = secrets.get(name);
    const arn = existing?.arn ?? `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`;
    const now = Date.now() / 1000;
    secrets.set(name, { arn, name, value: text, versionId: randomUUID(), createdAt: existing?.createdAt ?? now, changedAt: now });
  }

  function find(secretId: unknown): StoredSecret | undefined {
    if (typeof secretId !== "string") return undefined;
    return secrets.get(secretId) ?? [...secrets.values()].find((s) => s.arn === secretId);
  }

  function answer(action: string, input: Record<string, unknown>): { status: number; body: object } {
    const secret = find(input.SecretId);
    if (!ACTIONS.includes(action)) {
      return error("InvalidRequestException", `The local Secrets Manager serves ${ACTIONS.join(", ")}, not ${action}.`);
    }
    if (action === "ListSecrets") return listSecrets(input.Filters);
    if (!secret) return error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    if (action === "PutSecretValue") {
      if (typeof input.SecretString !== "string") return error("InvalidParameterException", "SecretString must be a string.");
      put(secret.name, input.SecretString);
      const updated = secrets.get(secret.name)!;
      return { status: 200, body: { ARN: updated.arn, Name: updated.name, VersionId: updated.versionId, VersionStages: ["AWSCURRENT"] } };
    }
    if (action === "DescribeSecret") return { status: 200, body: described(secret) };
    const body = {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.value,
      VersionStages: ["AWSCURRENT"],
      CreatedDate: secret.createdAt,
    };
    return { status: 200, body };
  }

  /** ListSecrets: every secret, in one page; `Filters` on `name` or `all` match name prefixes, as AWS does. */
  function listSecrets(filters: unknown): { status: number; body: object } {
    const prefixes: string[] = [];
    for (const filter of Array.isArray(filters) ? (filters as Array<{ Key?: unknown; Values?: unknown }>) : []) {
      if (filter.Key !== "name" && filter.Key !== "all")
        return error("InvalidParameterException", `The local Secrets Manager filters on name or all, not ${String(filter.Key)}.`);
      if (Array.isArray(filter.Values)) prefixes.push(...filter.Values.map(String));
    }
    const listed = [...secrets.values()].filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)));
    const SecretList = listed
      .map(described)
      .map(({ VersionIdsToStages, ...rest }) => ({ ...rest, SecretVersionsToStages: VersionIdsToStages }));
    return { status: 200, body: { SecretList } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((raw) => {
        const action = String(req.headers["x-amz-target"] ?? "").replace(/^secretsmanager\./, "");
        const input = parseJsonOrUndefined(raw.toString("utf8"));
        const { status, body } =
          input !== null && typeof input === "object"
            ? answer(action, input as Record<string, unknown>)
            : error("SerializationException", "The request body is not a JSON object.");
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
        res.end(text);
      })
      .catch(() => res.destroy());
  });
  const { endpoint, stop } = await listenOnLoopback(server, port);
  return {
    endpoint,
    put,
    stop,
  };
}

/** DescribeSecret's answer (ListSecrets lists the same, its stages under `SecretVersionsToStages`). */
function described(secret: StoredSecret) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    CreatedDate: secret.createdAt,
    LastChangedDate: secret.changedAt,
    VersionIdsToStages: { [secret.versionId]: ["AWSCURRENT"] },
  };
}

function error(type: string, message: string): { status: number; body: object } {
  return { status: 400, body: { __type: type, message } };
}

/**
 * Puts the secrets the stack's ConfigSecrets would hold: the API token hashes and each consumer's (empty)
 * config. Returns their ids.
 */
export function storeStackSecrets(secrets: LocalSecretsManager, names: StackNames, token: string): string[] {
  secrets.put(names.localApiTokensSecret, { tokenHashes: [tokenHash(token)] });
  for (const consumer of Object.values(names.consumers)) secrets.put(consumer.localConfigSecret, {});
  return [names.localApiTokensSecret, ...Object.values(names.consumers).map((consumer) => consumer.localConfigSecret)];
}
