/**
 * The keys of a `stepfunctions` consumer: `definition` (an Amazon States Language file inside the project:
 * the program creates the state machine) or `targetArn` (an existing one), and `workflowType`, checked as the
 * service accepts them (docs/aws-semantics.md#step-functions-executions). The definition file is read here,
 * once, so a typo fails the plan rather than `pulumi up`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { STATE_MACHINE_ARN } from "../semantics/step-functions";
import { PROJECT_DIR } from "./project";
import { checkArnPartition } from "./region-rules";
import { oneOf, type Problems, type RawObject } from "./rules";
import { STEP_FUNCTIONS_SETTINGS } from "./schema/consumer-kinds";
import { defaultsOf, keysOf } from "./schema/kit";
import type { StepFunctionsConfig } from "./types";

/** The keys {@link readStepFunctionsSettings} reads besides `targetArn` (which the fan-out kinds share). */
const STEP_FUNCTIONS_KEYS = keysOf(STEP_FUNCTIONS_SETTINGS);

/** One execution per record, named for idempotency. */
const DEFAULTS = defaultsOf(STEP_FUNCTIONS_SETTINGS);

/** The parsed definition at `file`, or a reason it cannot be a state machine's definition. */
function readDefinition(file: string): { text: string } | { problem: string } {
  let parsed: unknown;
  const text = readFileSync(file, "utf8");
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `is not JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { problem: "is not a JSON object" };
  const { StartAt, States } = parsed as { StartAt?: unknown; States?: unknown };
  if (typeof StartAt !== "string" || StartAt === "") return { problem: "has no `StartAt` state name" };
  if (typeof States !== "object" || States === null || Array.isArray(States)) return { problem: "has no `States` object" };
  if (!Object.hasOwn(States, StartAt)) return { problem: `starts at ${JSON.stringify(StartAt)}, which is not in \`States\`` };
  return { text };
}

/**
 * Reads consumer `at`'s Step Functions keys (its `handler` already read): refuses `definition` and
 * `workflowType` on other kinds, and returns `{ stepFunctions }` for handler `stepfunctions`, `{}` otherwise.
 */
export function readStepFunctionsSettings(
  p: Problems,
  at: string,
  handler: string | undefined,
  c: RawObject,
  root: string = PROJECT_DIR,
): { stepFunctions?: StepFunctionsConfig } {
  const key = (name: string) => `${at}.${name}`;
  if (handler !== "stepfunctions") {
    for (const name of STEP_FUNCTIONS_KEYS)
      if (c[name] !== undefined && handler !== undefined)
        p.say(`\`${key(name)}\` applies only to handler stepfunctions; ${JSON.stringify(handler)} does not read it`);
    return {};
  }
  if (typeof c.tumblingWindowSeconds === "number" && c.tumblingWindowSeconds > 0)
    p.say(
      `\`${key("tumblingWindowSeconds")}\` must be 0 for handler stepfunctions (with a tumbling window Lambda requires every response to carry \`state\`, which it does not return), got ${c.tumblingWindowSeconds}`,
    );
  if ((c.definition === undefined) === (c.targetArn === undefined)) {
    p.say(
      `\`${at}\` needs exactly one of \`definition\` (a ./file.asl.json the stack deploys) and \`targetArn\` (an existing state machine)`,
    );
    return {};
  }
  const workflowType = oneOf(p, key("workflowType"), c.workflowType ?? DEFAULTS.workflowType, STEP_FUNCTIONS_SETTINGS.workflowType.enum);
  if (c.targetArn !== undefined) {
    const arn = c.targetArn;
    if (typeof arn !== "string" || !STATE_MACHINE_ARN.test(arn))
      return p.add(key("targetArn"), "a state machine ARN such as arn:aws:states:eu-west-1:123456789012:stateMachine:orders", arn) ?? {};
    if (!checkArnPartition(p, key("targetArn"), arn) || workflowType === undefined) return {};
    return { stepFunctions: { targetArn: arn, workflowType } };
  }
  const value = c.definition;
  if (typeof value !== "string" || !value.startsWith("./") || !value.endsWith(".json"))
    return p.add(key("definition"), "a path to an Amazon States Language file starting with ./ and ending .json", value) ?? {};
  const file = path.resolve(root, value);
  const relative = path.relative(root, file);
  if (value.includes("\\") || relative.startsWith("..") || path.isAbsolute(relative))
    return p.say(`\`${key("definition")}\` must stay inside the project (${root}), got ${JSON.stringify(value)}`) ?? {};
  if (!existsSync(file) || !statSync(file).isFile())
    return p.say(`\`${key("definition")}\` names ${JSON.stringify(value)}, which does not exist (looked for ${file})`) ?? {};
  const definition = readDefinition(file);
  if ("problem" in definition) return p.say(`\`${key("definition")}\` ${JSON.stringify(value)} ${definition.problem}`) ?? {};
  if (workflowType === undefined) return {};
  return { stepFunctions: { definition: value, definitionJson: definition.text, workflowType } };
}
