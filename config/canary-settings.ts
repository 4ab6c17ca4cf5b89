/**
 * `observability.canary` (a CloudWatch Synthetics canary calling the front, components/canary.ts) and a consumer's
 * `dropCanaryRecords`, which keeps the canary's records from that consumer with an event filter clause.
 *
 * Why a consumer receives canary records unless it opts out: Lambda filters a Kinesis mapping on JSON `data`
 * only, so any filter also drops every record whose data is not JSON (`dataBase64`). Turning the canary on
 * must not silently change what an existing consumer gets; a consumer whose records are JSON opts out in one key.
 */
import { CANARY_EXCLUSION_CLAUSE, CANARY_EXCLUSION_PATTERN, CANARY_MARKER_FIELD } from "../handlers/lib/canary-record";
import { CANARY_AUTH_MODES, isCanaryAuthMode } from "../handlers/lib/environment/canary";
import { memberText } from "../handlers/lib/json-member";
import { boolean, integer, isObject, rejectUnknownKeys, type Problems } from "./rules";
import { bounds, defaultsOf, keysOf } from "./schema/kit";
import { CANARY } from "./schema/observability";
import { CONSUMER } from "./schema/consumers";
import type { ApiAuth, ApiFront, CanaryConfig } from "./types";

const PATH = "observability.canary";
const DEFAULTS = defaultsOf(CANARY);
const S = CANARY.properties;

/** The `observability.canary` section: undefined when absent (no canary). */
export function readCanary(p: Problems, value: unknown): CanaryConfig | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return p.add(PATH, "an object such as {scheduleMinutes: 5}", value);
  rejectUnknownKeys(p, PATH, value, keysOf(CANARY));
  const scheduleMinutes = integer(
    p,
    `${PATH}.scheduleMinutes`,
    value.scheduleMinutes ?? DEFAULTS.scheduleMinutes,
    ...bounds(S.scheduleMinutes),
  );
  const successPercentAlarm = integer(
    p,
    `${PATH}.successPercentAlarm`,
    value.successPercentAlarm ?? DEFAULTS.successPercentAlarm,
    ...bounds(S.successPercentAlarm),
  );
  return scheduleMinutes === undefined || successPercentAlarm === undefined ? undefined : { scheduleMinutes, successPercentAlarm };
}

/** The fronts a canary can call over HTTP: `GET /health` and `POST /records`. */
const CANARY_FRONTS: readonly ApiFront[] = ["http-api", "rest-api", "alb"];

/** Why the canary cannot run against this front and auth mode (`CANARY_AUTH_MODES`), or undefined when it can. */
function canaryFrontProblem(front: ApiFront, auth: ApiAuth): string | undefined {
  if (!CANARY_FRONTS.includes(front))
    return `\`${PATH}\` needs \`api.front\` ${CANARY_FRONTS.join(", ")} (a front answering \`GET /health\` and \`POST /records\` over HTTP), got ${front}`;
  if (!isCanaryAuthMode(auth))
    return `\`${PATH}\` cannot authenticate with \`api.auth\` ${auth}: the stack holds no credential an issuer would sign a token for; use \`api.auth\` ${CANARY_AUTH_MODES.slice(0, -1).join(", ")} or ${CANARY_AUTH_MODES.at(-1)}, or run a canary of your own that fetches a token`;
  return undefined;
}

/** Records the front problem of a configured canary. */
export function checkCanaryFront(
  p: Problems,
  canary: CanaryConfig | undefined,
  front: ApiFront | undefined,
  auth: ApiAuth | undefined,
): void {
  if (canary === undefined || front === undefined || auth === undefined) return;
  const problem = canaryFrontProblem(front, auth);
  if (problem) p.say(problem);
}

/**
 * A consumer's filter patterns with `dropCanaryRecords` applied: the canary's exclusion clause added to each of
 * its patterns (AND), or the exclusion pattern alone when it has none. Patterns are kept as written (their
 * numbers' text matters to the filter); a pattern that already names the marker field is refused.
 * @example withCanaryExclusion(p, "consumers.c", true, ['{"data":{"type":["order"]}}']) // ['{"data":{"kinesisIngestCanary":[{"exists":false}],"type":["order"]}}']
 */
export function withCanaryExclusion(
  p: Problems,
  consumerPath: string,
  drop: unknown,
  patterns: readonly string[] | undefined,
): string[] | undefined {
  const on = boolean(p, `${consumerPath}.dropCanaryRecords`, drop ?? CONSUMER.properties.dropCanaryRecords.default);
  if (patterns === undefined || !on) return patterns === undefined ? undefined : [...patterns];
  if (patterns.length === 0) return [CANARY_EXCLUSION_PATTERN];
  return patterns.map((pattern, i) => {
    const data = memberText(pattern, "data")!.trim();
    const inner = data.slice(1, -1).trim();
    if (memberText(data, CANARY_MARKER_FIELD) !== undefined)
      p.say(`\`${consumerPath}.filterPatterns[${i}]\` already names \`${CANARY_MARKER_FIELD}\`: remove it or \`dropCanaryRecords\``);
    return `{"data":{${CANARY_EXCLUSION_CLAUSE}${inner === "" ? "" : `,${inner}`}}}`;
  });
}
