/**
 * The check of every name a stack makes against its service's limit (semantics/name-limits.ts): the list of
 * names the program gives or leaves to Pulumi's auto-naming, each with the config key it comes from, and one
 * sentence per name that breaks its limit. Its own file because it is the validator's concern, not a name
 * table: `config/names.ts` says what things are called, this file whether those names can be created.
 */
import { AUTO_NAME_SUFFIX_LENGTH, NAME_LIMITS, nameViolation, type NameKind } from "../semantics/name-limits";
import {
  canaryName,
  consumerTableName,
  fanoutTargetName,
  functionLogGroupName,
  replayFanOutConsumerName,
  stackNames,
  streamScalerFunctionName,
  stateMachineName,
  usesStackArchiveBucket,
} from "./names";
import type { ApiAuth, ApiFront } from "./types";

/** The kind of name a fan-out consumer's own target has. */
function fanoutTargetKind(handler: string, fifo: boolean): NameKind | undefined {
  if (handler === "sqs") return fifo ? "sqsFifoQueue" : "sqsQueue";
  if (handler === "sns") return fifo ? "snsFifoTopic" : "snsTopic";
  return handler === "eventbridge" ? "eventBus" : undefined;
}

/** What decides a stack's names: the stack name and the settings that add resources. */
export interface NamedStack {
  readonly stack: string;
  readonly front: ApiFront;
  readonly auth: ApiAuth;
  readonly createApiGatewayAccountRole: boolean;
  /** `stream.autoscaling` is on: the stream scaler's function and what it owns are named too. @default false */
  readonly autoscaling?: boolean;
  /** `observability.canary` is set: the canary and what it owns are named too. @default false */
  readonly canary?: boolean;
  readonly fanOutConsumers: readonly string[];
  readonly consumers: readonly {
    readonly name: string;
    readonly fanOutConsumer?: string;
    readonly replayFrom?: string;
    readonly tables?: Readonly<Record<string, unknown>>;
    readonly handler?: string;
    readonly archive?: { readonly bucketName?: string };
    /** A fan-out consumer's target: the program names it unless `targetArn` is set or the bus is `default`. */
    readonly fanout?: { readonly targetArn?: string; readonly fifo: boolean; readonly eventBus: string };
    /** A `stepfunctions` consumer's settings: the program names the state machine and its role for a `definition`. */
    readonly stepFunctions?: { readonly definition?: string };
  }[];
}

/** `CheckedName.key` of names made from the stack name. */
const STACK_KEY = "the stack name";

/** One name a stack gives a resource, and what it is checked against. */
export interface CheckedName {
  /** The physical name; for an auto-named resource, its logical name (Pulumi appends the suffix). */
  readonly name: string;
  readonly kind: NameKind;
  /** Pulumi appends `-` and 7 random characters to `name`. */
  readonly autoNamed: boolean;
  /** The config key the name comes from, as a message names it. */
  readonly key: string;
  /** Whose name it is, e.g. "the execution role of the forwarder consumer's function". */
  readonly role: string;
}

/**
 * Every name the program gives or leaves to auto-naming, mirroring the logical names in `components/`
 * (test/program/deploy-fixes.test.ts and test/program/stream-scaler.test.ts compare them with the plan).
 */
export function checkedNames(s: NamedStack): CheckedName[] {
  const names = stackNames(
    s.stack,
    s.consumers.map((c) => c.name),
  );
  const byStack = (name: string, kind: NameKind, role: string, autoNamed = false): CheckedName => ({
    name,
    kind,
    role,
    autoNamed,
    key: STACK_KEY,
  });
  const list: CheckedName[] = [
    byStack(s.stack, "pulumiStack", "the stack"),
    byStack(names.stream, "kinesisStream", "the stream"),
    byStack(names.api.ingestFunction, "lambdaFunction", "the ingest function"),
    byStack(functionLogGroupName(names.api.ingestFunction), "logGroup", "the ingest function's log group"),
    byStack(names.dashboard, "dashboard", "the dashboard"),
    byStack(names.alarmTopic, "snsTopic", "the alarm topic"),
    byStack("api-ingest-role", "iamRole", "the ingest function's execution role", true),
    byStack("stream-write-throttled", "alarm", "the stream's write throttling alarm", true),
    byStack("stream-iterator-age", "alarm", "the stream's iterator age alarm", true),
  ];
  if (s.auth === "token") list.push(byStack("api-tokens-secret", "secret", "the API token secret", true));
  if (s.autoscaling) {
    const scaler = streamScalerFunctionName(s.stack);
    list.push(
      byStack(scaler, "lambdaFunction", "the stream scaler function"),
      byStack(functionLogGroupName(scaler), "logGroup", "the stream scaler's log group"),
      byStack("stream-scaler-fn-role", "iamRole", "the stream scaler's execution role", true),
      byStack("stream-scaler-errors", "alarm", "the stream scaler's errors alarm", true),
    );
  }
  if (s.auth === "token" && s.front !== "alb") {
    list.push(
      byStack(names.api.authorizerFunction, "lambdaFunction", "the authorizer function"),
      byStack(functionLogGroupName(names.api.authorizerFunction), "logGroup", "the authorizer function's log group"),
      byStack("api-authorizer-role", "iamRole", "the authorizer function's execution role", true),
    );
  }
  if (s.canary) list.push(...canaryNames(s, byStack));
  // AppSync has no stage access logs (config/appsync-settings.ts); its role is what invokes the ingest function.
  if (s.front !== "alb" && s.front !== "appsync") list.push(byStack(names.api.accessLogGroup, "logGroup", "the API's access log group"));
  if (s.front === "appsync") list.push(byStack("api-appsync-ingest-role", "iamRole", "the AppSync data source's role", true));
  if ((s.front === "rest-api" || s.front === "websocket") && s.createApiGatewayAccountRole)
    list.push(byStack("api-cloudwatch-role", "iamRole", "the API Gateway account's CloudWatch role", true));
  if (s.front === "alb") {
    list.push(
      byStack("api-alb", "loadBalancer", "the load balancer (awsx names it after its resource)", true),
      byStack("api-alb", "targetGroup", "the load balancer's target group (awsx names it after its resource)", true),
      byStack("api-alb-logs", "s3Bucket", "the load balancer's access log bucket", true),
    );
  }
  if (s.consumers.some(usesStackArchiveBucket)) list.push(byStack(`${names.archiveBucket}-bucket`, "s3Bucket", "the archive bucket", true));
  for (const consumer of s.consumers) {
    const c = names.consumers[consumer.name]!;
    const key = `consumers.${consumer.name}`;
    const of = (name: string, kind: NameKind, role: string, autoNamed = false): CheckedName => ({
      name,
      kind,
      role: `${role} of consumer ${consumer.name}`,
      autoNamed,
      key,
    });
    list.push(
      of(c.function, "lambdaFunction", "the function"),
      of(functionLogGroupName(c.function), "logGroup", "the function's log group"),
      of(c.queue, "sqsQueue", "the on-failure queue"),
      of(`consumer-${consumer.name}-fn-role`, "iamRole", "the function's execution role", true),
      // An archiver reads no secret, so the program gives it none.
      ...(consumer.handler === "archiver"
        ? []
        : [of(`${consumer.name}-config-secret`, "secret", "the runtime configuration secret", true)]),
      ...["iterator-age", "errors", "dlq-depth"].map((alarm) =>
        of(`consumer-${consumer.name}-${alarm}`, "alarm", `the ${alarm} alarm`, true),
      ),
    );
    for (const table of Object.keys(consumer.tables ?? {})) {
      list.push({
        ...of(consumerTableName(s.stack, consumer.name, table), "dynamodbTable", `table ${table}`),
        key: `${key}.tables.${table}`,
      });
    }
    const fanout = consumer.fanout;
    const targetKind = fanoutTargetKind(consumer.handler ?? "", fanout?.fifo ?? false);
    if (
      fanout !== undefined &&
      targetKind !== undefined &&
      fanout.targetArn === undefined &&
      !(targetKind === "eventBus" && fanout.eventBus === "default")
    ) {
      list.push(of(fanoutTargetName(s.stack, consumer.name, fanout.fifo), targetKind, "the fan-out target"));
      if (targetKind !== "eventBus") list.push(of(`consumer-${consumer.name}-target-alarm`, "alarm", "the fan-out target's alarm", true));
    }
    if (consumer.stepFunctions?.definition !== undefined) {
      list.push(of(stateMachineName(s.stack, consumer.name), "stateMachine", "the state machine"));
      list.push(of(`consumer-${consumer.name}-state-machine-role`, "iamRole", "the state machine's role", true));
    }
    if (consumer.replayFrom !== undefined && consumer.fanOutConsumer !== undefined) {
      list.push({
        ...of(replayFanOutConsumerName(consumer.fanOutConsumer), "streamConsumer", "the replay mapping's fan-out consumer"),
        key: `${key}.fanOutConsumer`,
      });
    }
  }
  return list;
}

/** The canary's names (components/canary.ts): its secret only when it holds a token or the REST API's key. */
function canaryNames(
  s: NamedStack,
  byStack: (name: string, kind: NameKind, role: string, autoNamed?: boolean) => CheckedName,
): CheckedName[] {
  return [
    byStack(canaryName(s.stack), "syntheticsCanary", "the canary"),
    byStack("canary-artifacts", "s3Bucket", "the canary's artifact bucket", true),
    byStack("canary-role", "iamRole", "the canary's execution role", true),
    byStack("canary-success", "alarm", "the canary's success alarm", true),
    ...(s.auth === "token" || s.front === "rest-api" ? [byStack("canary-secret", "secret", "the canary's secret", true)] : []),
  ];
}

/**
 * One sentence per name that breaks its service's limit, naming the key it comes from and the stack.
 * @example nameProblems({ ...stack, consumers: [{ name: "a".repeat(40) }] }) // ["`consumers.aaa…` (stack dev): ... IAM role name ..."]
 */
export function nameProblems(s: NamedStack): string[] {
  const problems: string[] = [];
  for (const checked of checkedNames(s)) {
    const limit = NAME_LIMITS[checked.kind];
    // The suffix is lowercase hex-like; its characters are valid in every kind of name.
    const physical = checked.autoNamed ? `${checked.name}-${"0".repeat(AUTO_NAME_SUFFIX_LENGTH - 1)}` : checked.name;
    const violation = nameViolation(physical, limit);
    if (violation === undefined) continue;
    const shown = checked.autoNamed ? `\`${checked.name}\` + Pulumi's ${AUTO_NAME_SUFFIX_LENGTH}-character suffix` : `\`${checked.name}\``;
    const where = checked.key === STACK_KEY ? `the stack name \`${s.stack}\`` : `\`${checked.key}\` (stack \`${s.stack}\`)`;
    const excess = physical.length - limit.maxLength;
    const fix =
      excess > 0
        ? `: shorten ${checked.key === STACK_KEY ? "the stack name" : "the name"} by ${excess} character${excess === 1 ? "" : "s"}`
        : "";
    problems.push(`${where} names ${checked.role} ${shown}, which ${violation} (${limit.source})${fix}`);
  }
  return problems;
}
