/**
 * A stand-in for Parameter Store (JSON 1.1 protocol, `X-Amz-Target: AmazonSSM.<Action>`): npm has no SSM
 * emulator. It holds the parameters the stack file declares (`consumers.<name>.parameters`) and serves
 * GetParameter, GetParameters and GetParametersByPath as Parameter Store answers them — `ParameterNotFound`,
 * `InvalidParameters` for unknown names, at most 10 names a GetParameters call and 10 results a
 * GetParametersByPath page, names of at most 1011 characters — so a user's module reads them with the real
 * SDK through `AWS_ENDPOINT_URL_SSM`. No writes, no versions, no history, no KMS: it is not an emulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import {
  GET_PARAMETERS_BY_PATH_MAX_RESULTS,
  GET_PARAMETERS_MAX_NAMES,
  PARAMETER_NAME_MAX_LENGTH,
  parameterArn,
  type ParameterType,
} from "../semantics/parameter-store";
import { parameterNames } from "../config/parameter-settings";
import type { ConsumerConfig } from "../config/types";
import { listenOnLoopback, LOCAL_ACCOUNT, LOCAL_REGION } from "./emulators";
import { parseJsonOrUndefined, readBody } from "./http-util";

/** A parameter the stand-in holds. */
export interface LocalParameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
}

/** A running stand-in. */
export interface LocalParameterStore {
  readonly endpoint: string;
  /** Holds (or replaces) a parameter. */
  put(parameter: LocalParameter): void;
  /** Every parameter held, by name. */
  list(): readonly LocalParameter[];
  stop(): Promise<void>;
}

const ACTIONS = ["GetParameter", "GetParameters", "GetParametersByPath"];

type Answer = { status: number; body: object };

/** Starts the stand-in on 127.0.0.1 (a free port unless `port` is given). */
export async function startParameterStore(port = 0): Promise<LocalParameterStore> {
  const parameters = new Map<string, LocalParameter & { modified: number }>();

  function shown(p: LocalParameter & { modified: number }, decrypt: boolean) {
    // Without WithDecryption Parameter Store returns a SecureString's ciphertext: opaque text, never the value.
    const value = p.type === "SecureString" && !decrypt ? Buffer.from(`local-ciphertext:${p.name}`).toString("base64") : p.value;
    const arn = parameterArn(LOCAL_REGION, LOCAL_ACCOUNT, p.name);
    return { Name: p.name, Type: p.type, Value: value, Version: 1, LastModifiedDate: p.modified, ARN: arn, DataType: "text" };
  }

  function answer(action: string, input: Record<string, unknown>): Answer {
    const decrypt = input.WithDecryption === true;
    if (!ACTIONS.includes(action))
      return error("InvalidAction", `The Parameter Store stand-in serves ${ACTIONS.join(", ")}, not ${action}.`);
    if (action === "GetParameter") {
      const name = nameProblem(input.Name);
      if (name) return name;
      const found = parameters.get(input.Name as string);
      return found ? { status: 200, body: { Parameter: shown(found, decrypt) } } : error("ParameterNotFound", "");
    }
    if (action === "GetParameters") {
      const names = input.Names;
      if (!Array.isArray(names) || names.length === 0 || names.length > GET_PARAMETERS_MAX_NAMES)
        return error("ValidationException", `Names must hold 1 to ${GET_PARAMETERS_MAX_NAMES} parameter names.`);
      for (const n of names) {
        const problem = nameProblem(n);
        if (problem) return problem;
      }
      const known = (names as string[]).filter((n) => parameters.has(n));
      return {
        status: 200,
        body: {
          Parameters: known.map((n) => shown(parameters.get(n)!, decrypt)),
          InvalidParameters: (names as string[]).filter((n) => !parameters.has(n)),
        },
      };
    }
    return byPath(input, decrypt);
  }

  function byPath(input: Record<string, unknown>, decrypt: boolean): Answer {
    if (typeof input.Path !== "string" || !input.Path.startsWith("/")) return error("ValidationException", "Path must start with /.");
    const max = input.MaxResults ?? GET_PARAMETERS_BY_PATH_MAX_RESULTS;
    if (typeof max !== "number" || max < 1 || max > GET_PARAMETERS_BY_PATH_MAX_RESULTS)
      return error("ValidationException", `MaxResults must be 1 to ${GET_PARAMETERS_BY_PATH_MAX_RESULTS}.`);
    const path = input.Path.endsWith("/") ? input.Path : `${input.Path}/`;
    const under = [...parameters.values()]
      .filter((p) => p.name.startsWith(path) && (input.Recursive === true || !p.name.slice(path.length).includes("/")))
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = typeof input.NextToken === "string" ? Number(input.NextToken) || 0 : 0;
    const page = under.slice(start, start + max);
    const next = start + max < under.length ? { NextToken: String(start + max) } : {};
    return { status: 200, body: { Parameters: page.map((p) => shown(p, decrypt)), ...next } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((raw) => {
        const action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSSM\./, "");
        const input = parseJsonOrUndefined(raw.toString("utf8"));
        const { status, body } =
          input !== null && typeof input === "object"
            ? answer(action, input as Record<string, unknown>)
            : error("SerializationException", "The request body is not a JSON object.");
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
        res.end(JSON.stringify(body));
      })
      .catch(() => res.destroy());
  });
  const { endpoint, stop } = await listenOnLoopback(server, port);
  return {
    endpoint,
    put: (parameter) => void parameters.set(parameter.name, { ...parameter, modified: Date.now() / 1000 }),
    list: () => [...parameters.values()].map(({ name, type, value }) => ({ name, type, value })),
    stop,
  };
}

function nameProblem(name: unknown): Answer | undefined {
  if (typeof name === "string" && name.length > 0 && name.length <= PARAMETER_NAME_MAX_LENGTH) return undefined;
  return error("ValidationException", `A parameter name must be 1 to ${PARAMETER_NAME_MAX_LENGTH} characters.`);
}

function error(type: string, message: string): Answer {
  return { status: 400, body: { __type: type, message } };
}

/**
 * The parameters the stack creates for `consumers`, as the stand-in holds them: a String or StringList with its
 * value; a SecureString with a stand-in value, since its real one stays encrypted in the stack's secret config.
 * An existing parameter (`{name}`) lives in an AWS account and is not held: reading it answers ParameterNotFound.
 */
export function stackParameters(stack: string, consumers: readonly ConsumerConfig[]): LocalParameter[] {
  return consumers.flatMap((c) => {
    const names = parameterNames(stack, c.name, c.parameters);
    return Object.entries(c.parameters).flatMap(([key, spec]): LocalParameter[] =>
      "name" in spec
        ? []
        : [
            {
              name: names[key]!,
              type: spec.type,
              value: "value" in spec ? spec.value : `local stand-in for SecureString ${key} (the real value stays in parameterSecrets)`,
            },
          ],
    );
  });
}
