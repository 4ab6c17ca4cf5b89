/**
 * Statement-by-statement checks of an IAM policy document: no wildcard actions and no `Resource: "*"`
 * except for the few actions AWS offers no resource-level permission for. Pure: a document in (JSON text
 * or object, as `aws.iam.*` resources carry it), one whole-sentence problem per broken rule out.
 */

/**
 * The only actions allowed on `Resource: "*"`, each with the reason. The IAM Service Authorization
 * Reference lists no resource type for any of them, so no narrower `Resource` can be written.
 */
export const RESOURCE_STAR_ACTIONS: Readonly<Record<string, string>> = {
  "xray:PutTraceSegments": "Lambda active tracing uploads segments with it; X-Ray defines no resource type for it",
  "xray:PutTelemetryRecords": "Lambda active tracing reports telemetry with it; X-Ray defines no resource type for it",
  "xray:GetSamplingRules": "X-Ray SDKs read centralized sampling rules with it; it has no resource type",
  "xray:GetSamplingTargets": "X-Ray SDKs fetch sampling quotas with it; it has no resource type",
  "xray:GetSamplingStatisticSummaries": "X-Ray SDKs read sampling statistics with it; it has no resource type",
  "cloudwatch:PutMetricData": "CloudWatch has no resource type for it; scope it with the `cloudwatch:namespace` condition key",
  "cloudwatch:GetMetricData": "the stream scaler reads the stream's metrics with it; CloudWatch defines no resource type for it",
};

/** A received value for a message: JSON, shortened. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const ALLOWED_ON_STAR = new Set(Object.keys(RESOURCE_STAR_ACTIONS).map((a) => a.toLowerCase()));
/** Any `*` or `?` in an action matches more actions than it names. */
const WILDCARD_ACTION = /[*?]/;

/**
 * Returns one message per rule the document breaks (empty when it is compliant). `Deny` statements are
 * never a problem: wildcards there only take permissions away.
 * @example documentProblems('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')
 */
export function documentProblems(document: unknown): string[] {
  const parsed = parse(document);
  if (typeof parsed === "string") return [parsed];
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return statements.flatMap((statement: unknown, index) => statementProblems(statement, index));
}

type Document = { readonly Statement?: unknown };

function parse(document: unknown): Document | string {
  let value = document;
  if (typeof document === "string") {
    try {
      value = JSON.parse(document);
    } catch {
      return `the policy document is not valid JSON, got ${show(document)}`;
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `the policy document must be a JSON object with a \`Statement\`, got ${typeof value}`;
  }
  return value;
}

function statementProblems(statement: unknown, index: number): string[] {
  if (typeof statement !== "object" || statement === null) return [`statement ${index + 1} is not an object`];
  const s = statement as Readonly<Record<string, unknown>>;
  if (s.Effect === "Deny") return [];
  const label = typeof s.Sid === "string" && s.Sid !== "" ? `statement ${index + 1} ("${s.Sid}")` : `statement ${index + 1}`;
  const problems: string[] = [];
  if (s.NotAction !== undefined) {
    problems.push(`${label} allows \`NotAction\`, which grants every other action: list the actions it needs in \`Action\``);
  }
  if (s.NotResource !== undefined) {
    problems.push(`${label} allows \`NotResource\`, which grants every other resource: list the resource ARNs in \`Resource\``);
  }
  const actions = strings(s.Action);
  const wildcards = actions.filter((a) => WILDCARD_ACTION.test(a));
  if (wildcards.length > 0) {
    problems.push(`${label} allows wildcard action ${quoteAll(wildcards)}: name each action it needs`);
  }
  if (strings(s.Resource).includes("*")) {
    const notAllowed = actions.filter((a) => !ALLOWED_ON_STAR.has(a.toLowerCase()));
    if (notAllowed.length > 0) {
      problems.push(
        `${label} allows ${quoteAll(notAllowed)} on \`Resource: "*"\`: name the resource ARNs ` +
          `(only ${Object.keys(RESOURCE_STAR_ACTIONS).join(", ")} may use "*")`,
      );
    }
  }
  return problems;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function quoteAll(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(", ");
}
