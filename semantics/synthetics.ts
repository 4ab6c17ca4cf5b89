/**
 * CloudWatch Synthetics, as a canary of `observability.canary` uses it (docs/aws-semantics.md#cloudwatch-synthetics):
 * the schedule's range and expression, the runtime, where a Node.js script sits in its archive, and the metric
 * the alarm reads. The canary's name rule is in `semantics/name-limits.ts` with every other name.
 */

/**
 * `rate(N minutes)` accepts 1–60 minutes; `rate(0 minutes)` runs once only, which monitors nothing, so it is
 * not offered (CreateCanary `Schedule.Expression`).
 */
export const CANARY_SCHEDULE_MINUTES = { min: 1, max: 60 } as const;

/**
 * The schedule expression for a run every `minutes` minutes: `rate(1 minute)`, `rate(5 minutes)`.
 * @example canaryScheduleExpression(5) // "rate(5 minutes)"
 */
export function canaryScheduleExpression(minutes: number): string {
  return `rate(${minutes} minute${minutes === 1 ? "" : "s"})`;
}

/**
 * The Node.js Synthetics runtime the canary runs on (Node.js 22). The script uses nothing of the Synthetics
 * library, only Node's `fetch` and what it bundles, so a later runtime of the family takes it unchanged.
 */
export const CANARY_RUNTIME_VERSION = "syn-nodejs-puppeteer-15.0";

/**
 * A Node.js canary's archive holds its script at `nodejs/node_modules/<file>.js`, and the handler is
 * `<file>.handler` ("Writing a Node.js canary script": packaging).
 */
const CANARY_SCRIPT_FILE = "kinesis-ingest-canary";
export const CANARY_SCRIPT_PATH = `nodejs/node_modules/${CANARY_SCRIPT_FILE}.js`;
export const CANARY_HANDLER = `${CANARY_SCRIPT_FILE}.handler`;

/**
 * How long one run may take: a run may not outlast the schedule's period, and AWS advises no less than 15 s
 * (cold start and the runtime's own start-up). 60 s fits the shortest schedule, one run a minute.
 */
export const CANARY_TIMEOUT_SECONDS = 60;

/** Each run publishes `SuccessPercent` (100 passed, 0 failed) in this namespace, by `CanaryName`. */
export const CANARY_METRIC = { namespace: "CloudWatchSynthetics", metricName: "SuccessPercent", dimension: "CanaryName" } as const;

/**
 * The Lambda function Synthetics creates for a canary is `cwsyn-<canary name>-<id>`; its log group is that
 * function's, created at the first run, so the role's log grant names this prefix.
 * @example canaryLogGroupPrefix("kinesis-ingest-dev-canary") // "/aws/lambda/cwsyn-kinesis-ingest-dev-canary-"
 */
export function canaryLogGroupPrefix(canaryName: string): string {
  return `/aws/lambda/cwsyn-${canaryName}-`;
}

/**
 * Days Synthetics keeps the records of passed and failed runs (its default; 1–455 allowed); the artifact
 * bucket expires the runs' objects after as many.
 */
export const CANARY_ARTIFACT_RETENTION_DAYS = 31;
