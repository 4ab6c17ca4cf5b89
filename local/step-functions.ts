/**
 * A stand-in for Step Functions' StartExecution and StartSyncExecution (JSON 1.0 protocol, `X-Amz-Target:
 * AWSStepFunctions.<Action>`): npm has no Step Functions emulator. It runs no state machine definition. It
 * validates calls as the service documents them (docs/aws-semantics.md#step-functions-executions): a known
 * state machine of the right type, an execution name of 1–80 letters, digits, `-` or `_` not used before on
 * that state machine (ExecutionAlreadyExists: its executions close at once, so a repeated name never meets
 * a running one), input that is JSON of at most 256 KiB. It records each execution (`GET /_local/executions`
 * on the local stack's server lists them). An Express execution SUCCEEDS with its input as output unless
 * `respond` says otherwise (tests use it for the `{"failed": […]}` contract and FAILED executions).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { SFNClient } from "@aws-sdk/client-sfn";
import { EXECUTION_INPUT_MAX_BYTES, executionNameProblem, type WorkflowType } from "../semantics/step-functions";
import { listenOnLoopback, LOCAL_ACCOUNT, LOCAL_REGION } from "./emulators";
import { parseJsonOrUndefined, readBody } from "./http-util";

/** One execution the stand-in started. */
export interface LocalExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: unknown;
  readonly startDate: string;
  readonly status: "SUCCEEDED" | "FAILED";
  readonly workflowType: WorkflowType;
}

/** What an Express execution ends with (default: SUCCEEDED with its input as output). */
export type ExpressAnswer =
  { readonly status: "SUCCEEDED"; readonly output: string } | { readonly status: "FAILED"; readonly error: string; readonly cause: string };

/** A running stand-in. */
export interface LocalStepFunctions {
  readonly endpoint: string;
  /** Registers state machine `name` of `type`; returns its ARN. An ARN is accepted as the name too. */
  createStateMachine(nameOrArn: string, type: WorkflowType): string;
  executions(): readonly LocalExecution[];
  /** Sets how Express executions answer (tests). */
  respond(answer: ((input: unknown) => ExpressAnswer) | undefined): void;
  stop(): Promise<void>;
}

const TARGET_PREFIX = "AWSStepFunctions.";

/** Starts the stand-in on 127.0.0.1 (a free port unless `port` is given). */
export async function startStepFunctions(port = 0): Promise<LocalStepFunctions> {
  const machines = new Map<string, WorkflowType>();
  const started: LocalExecution[] = [];
  const names = new Set<string>();
  let answerOf: ((input: unknown) => ExpressAnswer) | undefined;
  const arnOf = (name: string) => (name.startsWith("arn:") ? name : `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`);

  function start(action: string, input: Record<string, unknown>): { status: number; body: object } {
    const arn = input.stateMachineArn;
    if (typeof arn !== "string") return error("ValidationException", "stateMachineArn is required.");
    const type = machines.get(arn);
    if (type === undefined) return error("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    const sync = action === "StartSyncExecution";
    if (sync && type !== "EXPRESS")
      return error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
    const name = input.name === undefined ? randomUUID() : input.name;
    if (typeof name !== "string" || executionNameProblem(name) !== undefined)
      return error("InvalidName", `Invalid Name: '${String(name)}' (${executionNameProblem(String(name)) ?? "not a string"})`);
    const text = input.input === undefined ? "{}" : input.input;
    if (typeof text !== "string") return error("InvalidExecutionInput", "Invalid State Machine Execution Input: input must be a string");
    if (Buffer.byteLength(text, "utf8") > EXECUTION_INPUT_MAX_BYTES)
      return error("InvalidExecutionInput", `Invalid State Machine Execution Input: over ${EXECUTION_INPUT_MAX_BYTES} bytes`);
    const parsed = parseJsonOrUndefined(text);
    if (parsed === undefined) return error("InvalidExecutionInput", "Invalid State Machine Execution Input: not JSON");
    const key = `${arn}\n${name}`;
    // Names of STANDARD executions are unique per state machine (for 90 days on AWS; for the stand-in's life here).
    if (type === "STANDARD" && names.has(key)) return error("ExecutionAlreadyExists", `Execution Already Exists: '${name}'`);
    names.add(key);
    const executionArn = `${arn.replace(":stateMachine:", type === "EXPRESS" ? ":express:" : ":execution:")}:${name}`;
    const startDate = new Date();
    const answer: ExpressAnswer = sync && answerOf ? answerOf(parsed) : { status: "SUCCEEDED", output: text };
    started.push({
      executionArn,
      stateMachineArn: arn,
      name,
      input: parsed,
      startDate: startDate.toISOString(),
      status: answer.status,
      workflowType: type,
    });
    if (!sync) return { status: 200, body: { executionArn, startDate: startDate.getTime() / 1000 } };
    return {
      status: 200,
      body: {
        executionArn,
        stateMachineArn: arn,
        name,
        startDate: startDate.getTime() / 1000,
        stopDate: Date.now() / 1000,
        input: text,
        ...answer,
      },
    };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => {
        const action = String(req.headers["x-amz-target"] ?? "").replace(TARGET_PREFIX, "");
        const input = parseJsonOrUndefined(body.toString("utf8"));
        const { status, body: answer } =
          action !== "StartExecution" && action !== "StartSyncExecution"
            ? error(
                "UnknownOperationException",
                `The local Step Functions stand-in serves StartExecution and StartSyncExecution only, not ${action}.`,
              )
            : input !== null && typeof input === "object"
              ? start(action, input as Record<string, unknown>)
              : error("SerializationException", "The request body is not a JSON object.");
        res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID() });
        res.end(JSON.stringify(answer));
      })
      .catch(() => res.destroy());
  });
  const { endpoint, stop } = await listenOnLoopback(server, port);
  return {
    endpoint,
    createStateMachine: (nameOrArn, type) => {
      const arn = arnOf(nameOrArn);
      machines.set(arn, type);
      return arn;
    },
    executions: () => started,
    respond: (answer) => void (answerOf = answer),
    stop,
  };
}

function error(type: string, message: string): { status: number; body: object } {
  return { status: 400, body: { __type: type, message } };
}

/**
 * A Step Functions client for the stand-in. `disableHostPrefix`: StartSyncExecution is sent to the
 * `sync-` host of the endpoint on AWS, which a loopback address does not have.
 */
export function localSfnClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}
