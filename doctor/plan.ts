/** The stack as the checks see it, from its validated stack file: the config and the names. */
import type { StackConfig } from "../config";
import { isFanoutHandler } from "../config/fanout-settings";
import {
  consumerTableName,
  fanoutTargetName,
  functionLogGroupName,
  idempotencyTableName,
  replayFanOutConsumerName,
  stackNames,
} from "../config/names";
import type { DoctorPlan, FanoutTargetName } from "./types";

/**
 * The plan of stack `stack` in `region` from its validated values: every fixed physical name the program
 * gives, from `config/names.ts` as the program takes them. Functions are the ones `components/` creates:
 * ingest, the authorizer when API Gateway checks tokens, one per consumer.
 */
export function doctorPlan(stack: string, region: string, config: StackConfig, deployed = false): DoctorPlan {
  const names = stackNames(stack, Object.keys(config.consumers));
  const consumers = Object.values(config.consumers);
  // On an ALB the ingest function checks tokens itself: no authorizer function.
  const authorizer = config.api.auth === "token" && config.api.front !== "alb";
  const functionNames = [
    names.api.ingestFunction,
    ...(authorizer ? [names.api.authorizerFunction] : []),
    ...Object.values(names.consumers).map((consumer) => consumer.function),
  ];
  // The alb front logs to S3 and appsync has no stage logs; the API Gateway fronts log to the stage's log group
  // while `accessLogs` is on.
  const stageLogs = config.api.front !== "alb" && config.api.front !== "appsync";
  const accessLogGroup = stageLogs && config.api.accessLogs ? [names.api.accessLogGroup] : [];
  return {
    stack,
    region,
    deployed,
    config,
    names,
    functionNames,
    tableNames: consumers.flatMap((c) => [
      ...Object.keys(c.tables).map((table) => consumerTableName(stack, c.name, table)),
      ...(c.idempotency === "dynamodb" ? [idempotencyTableName(stack, c.name)] : []),
    ]),
    fanoutTargets: consumers.flatMap((c) => fanoutTarget(stack, c)),
    alarmTopic: config.observability.alarmEmail === undefined ? undefined : names.alarmTopic,
    dashboard: config.observability.dashboard ? names.dashboard : undefined,
    logGroupNames: [...functionNames.map(functionLogGroupName), ...accessLogGroup],
    fanOutConsumerNames: [
      ...config.stream.fanOutConsumers,
      ...consumers.flatMap((c) =>
        c.replayFrom !== undefined && c.fanOutConsumer !== undefined ? [replayFanOutConsumerName(c.fanOutConsumer)] : [],
      ),
    ],
  };
}

/** The queue, topic or custom bus the program creates for a fan-out consumer without `targetArn`. */
function fanoutTarget(stack: string, consumer: StackConfig["consumers"][string]): FanoutTargetName[] {
  const { fanout, handler } = consumer;
  if (fanout === undefined || !isFanoutHandler(handler) || fanout.targetArn !== undefined) return [];
  if (handler === "eventbridge" && fanout.eventBus === "default") return [];
  const kind = handler === "sqs" ? "queue" : handler === "sns" ? "topic" : "bus";
  return [{ kind, name: fanoutTargetName(stack, consumer.name, fanout.fifo) }];
}
