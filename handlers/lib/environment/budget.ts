/**
 * The consumer kinds' contracts together: the names the program sets (a user's `environment` may not), and
 * what a consumer's function environment can take of Lambda's 4 KB before the user's own variables, computed
 * by the same writers the program uses, with every value known only at deploy at its longest.
 */
import { NAME_LIMITS, AUTO_NAME_SUFFIX_LENGTH } from "../../../semantics/name-limits";
import { POISON_ENVIRONMENT } from "../../../semantics/poison-records";
import { isBuiltInKind, type BuiltInKind } from "../built-in-kinds";
import { archiverKind } from "./archiver";
import { CONFIG_SECRET_VARIABLE, CONSUMER_NAME_MAX_LENGTH, consumerEnvironment, type ConsumerKind, type ConsumerShape } from "./consumer";
import { eventBridgeKind } from "./eventbridge";
import { forwarderKind } from "./forwarder";
import { IDEMPOTENCY_VARIABLES } from "./idempotency";
import { snsKind } from "./sns";
import { sqsKind } from "./sqs";
import { stepFunctionsKind } from "./stepfunctions";
import { environmentBytes, longest, longestArn, longestQueueUrl } from "./variables";

/** The built-in kinds' contracts, by `handler`: a new kind's module is added here. */
const KINDS: Readonly<Record<BuiltInKind, ConsumerKind>> = {
  forwarder: forwarderKind,
  archiver: archiverKind,
  sqs: sqsKind,
  sns: snsKind,
  eventbridge: eventBridgeKind,
  stepfunctions: stepFunctionsKind,
};

/** Every variable the program sets on a consumer function, besides `TABLE_<NAME>` and `PARAM_<NAME>`: users may not set them. */
export const PROGRAM_ENVIRONMENT: readonly string[] = [
  ...new Set([
    CONFIG_SECRET_VARIABLE,
    ...Object.values(IDEMPOTENCY_VARIABLES),
    ...Object.values(KINDS).flatMap((kind) => kind.variables),
    ...Object.values(POISON_ENVIRONMENT),
  ]),
];

/**
 * The ConfigSecret's ARN at its longest: Pulumi names the secret `<consumer>-config-secret` plus its suffix
 * (a consumer name has at most CONSUMER_NAME_MAX_LENGTH characters), and Secrets Manager appends `-` and 6 random characters.
 */
const LONGEST_SECRET_ARN = longestArn(
  "secretsmanager",
  `secret:${longest(CONSUMER_NAME_MAX_LENGTH)}-config-secret`.length + AUTO_NAME_SUFFIX_LENGTH + 7,
);

/** At most 8 digits: a year's retention plus an hour is 31 539 600 seconds. */
const LONGEST_TTL_SECONDS = 99_999_999;

/** Bytes the program's variables take of `consumer`'s environment at most (names and values). */
export function consumerEnvironmentBytes(consumer: ConsumerShape): number {
  const tableName = longest(NAME_LIMITS.dynamodbTable.maxLength);
  const kind = isBuiltInKind(consumer.handler) ? KINDS[consumer.handler] : undefined;
  return environmentBytes(
    consumerEnvironment({
      secretId: LONGEST_SECRET_ARN,
      kind: kind?.longest(consumer),
      idempotency:
        consumer.idempotency === "dynamodb"
          ? { mode: "dynamodb", tableName, ttlSeconds: LONGEST_TTL_SECONDS }
          : { mode: consumer.idempotency ?? "memory" },
      poison: { ...consumer, queueUrl: longestQueueUrl(NAME_LIMITS.sqsQueue.maxLength) },
      tables: Object.fromEntries(Object.keys(consumer.tables ?? {}).map((table) => [table, tableName])),
      parameterNames: consumer.parameterNames ?? {},
    }),
  );
}
