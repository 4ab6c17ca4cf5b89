/**
 * The policy pack, rule by rule: each policy's `validateResource` / `validateStack` is called directly
 * (never `new PolicyPack`, whose constructor starts a server). A compliant resource passes; each violation
 * reports its exact message; values unknown during preview skip their check instead of failing.
 * Bounds: Lambda developer guide, "Kinesis event source mapping parameters"; IAM Service Authorization
 * Reference (X-Ray and CloudWatch PutMetricData have no resource types).
 */
import { unknownCheckingProxy, type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { evaluatePolicies, unwrapSecrets, type RecordedResource } from "../../policy/offline";
import {
  functionActiveTracing,
  functionLogGroupRetention,
  iamLeastPrivilege,
  mappingFailureHandling,
  policies,
  streamEncrypted,
} from "../../policy/policies";

/** Pulumi's wire sentinel for an unknown string (`UnknownStringValue` in the engine). */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

type Props = Record<string, unknown>;
const OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  additionalSecretOutputs: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
};
const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason}`);
};

/** Calls the policy's `validateResource` as the analyzer would (props behind the unknown-checking proxy). */
async function check(policy: ResourceValidationPolicy, type: string, props: Props): Promise<string[]> {
  const messages: string[] = [];
  const validate = policy.validateResource;
  if (validate === undefined || Array.isArray(validate)) throw new Error(`${policy.name} has no single validateResource`);
  await validate(
    {
      type,
      name: "r",
      urn: `urn:pulumi:test::kinesis-ingest::${type}::r`,
      props: unknownCheckingProxy(props) as Props,
      opts: OPTS,
      stackTags: new Map(),
      isType: () => false,
      asType: () => undefined,
      getConfig: <T extends object>() => ({}) as T,
      notApplicable,
    },
    (message) => messages.push(message),
  );
  return messages;
}

async function checkStack(
  policy: StackValidationPolicy,
  resources: { type: string; name: string; props: Props }[],
): Promise<[string, string | undefined][]> {
  const reported: [string, string | undefined][] = [];
  const list = resources.map((r): PolicyResource => ({
    ...r,
    urn: `urn:${r.name}`,
    props: unknownCheckingProxy(r.props) as Props,
    opts: OPTS,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  await policy.validateStack(
    { resources: list, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable },
    (message, urn) => reported.push([message, urn]),
  );
  return reported;
}

describe("policy: kinesis-stream-encrypted", () => {
  const TYPE = "aws:kinesis/stream:Stream";
  const compliant = { name: "kinesis-ingest-prod", shardCount: 4, encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" };
  const cases: [string, Props, string[]][] = [
    ["compliant", compliant, []],
    [
      "no encryption",
      { ...compliant, encryptionType: "NONE" },
      ['`encryptionType` must be "KMS" so records are encrypted at rest, got "NONE"'],
    ],
    ["encryption unset", { name: "s", shardCount: 1 }, ['`encryptionType` must be "KMS" so records are encrypted at rest, got nothing']],
    [
      "KMS without a key",
      { ...compliant, kmsKeyId: undefined },
      ['`kmsKeyId` must name the stream\'s KMS key (a key ARN, key ID or alias such as "alias/aws/kinesis"), got nothing'],
    ],
    ["key unknown during preview", { ...compliant, kmsKeyId: UNKNOWN_STRING }, []],
  ];
  for (const [title, props, expected] of cases) {
    it(title, async () => expect(await check(streamEncrypted, TYPE, props)).to.deep.equal(expected));
  }
  it("ignores other resource types", async () => {
    expect(await check(streamEncrypted, "aws:sqs/queue:Queue", { encryptionType: "NONE" })).to.deep.equal([]);
  });
});

describe("policy: kinesis-mapping-failure-handling", () => {
  const TYPE = "aws:lambda/eventSourceMapping:EventSourceMapping";
  const compliant: Props = {
    eventSourceArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-prod",
    functionName: "arn:aws:lambda:eu-west-1:123456789012:function:kinesis-ingest-prod-forwarder",
    startingPosition: "LATEST",
    bisectBatchOnFunctionError: true,
    functionResponseTypes: ["ReportBatchItemFailures"],
    maximumRecordAgeInSeconds: 3600,
    maximumRetryAttempts: 3,
    destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:eu-west-1:123456789012:kinesis-ingest-prod-forwarder-dlq" } },
  };
  const without = (key: string): Props => Object.fromEntries(Object.entries(compliant).filter(([k]) => k !== key));
  const RECORD_AGE = (got: string) =>
    `\`maximumRecordAgeInSeconds\` must be set, -1 (until the record expires) or an integer from 60 to 604800, got ${got}`;
  const RETRIES = (got: string) =>
    `\`maximumRetryAttempts\` must be set, -1 (until the record expires) or an integer from 0 to 10000, got ${got}`;
  const DESTINATION =
    "an on-failure destination is required: set `destinationConfig.onFailure.destinationArn` to an SQS queue, SNS topic or S3 bucket ARN, got nothing";
  const cases: [string, Props, string[]][] = [
    ["compliant", compliant, []],
    ["compliant at the bounds", { ...compliant, maximumRecordAgeInSeconds: 604800, maximumRetryAttempts: 0 }, []],
    [
      "compliant on an enhanced fan-out consumer",
      { ...compliant, eventSourceArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/s/consumer/c:1700000000" },
      [],
    ],
    ["no on-failure destination", without("destinationConfig"), [DESTINATION]],
    ["empty destination config", { ...compliant, destinationConfig: { onFailure: undefined } }, [DESTINATION]],
    ["bisect off", { ...compliant, bisectBatchOnFunctionError: false }, ["`bisectBatchOnFunctionError` must be true, got false"]],
    ["bisect unset", without("bisectBatchOnFunctionError"), ["`bisectBatchOnFunctionError` must be true, got nothing"]],
    [
      "no partial batch responses",
      without("functionResponseTypes"),
      ['`functionResponseTypes` must contain "ReportBatchItemFailures", got nothing'],
    ],
    [
      "empty response types",
      { ...compliant, functionResponseTypes: [] },
      ['`functionResponseTypes` must contain "ReportBatchItemFailures", got []'],
    ],
    // -1 is Lambda's, the config's and the README's "until the record expires": the pack agrees with them.
    ["record age -1, set explicitly", { ...compliant, maximumRecordAgeInSeconds: -1 }, []],
    ["record age unset", without("maximumRecordAgeInSeconds"), [RECORD_AGE("nothing")]],
    ["record age below 60", { ...compliant, maximumRecordAgeInSeconds: 59 }, [RECORD_AGE("59")]],
    ["retries -1, set explicitly", { ...compliant, maximumRetryAttempts: -1 }, []],
    ["record age -2", { ...compliant, maximumRecordAgeInSeconds: -2 }, [RECORD_AGE("-2")]],
    ["retries 1.5", { ...compliant, maximumRetryAttempts: 1.5 }, [RETRIES("1.5")]],
    ["retries unset", without("maximumRetryAttempts"), [RETRIES("nothing")]],
    ["retries above 10000", { ...compliant, maximumRetryAttempts: 10001 }, [RETRIES("10001")]],
    [
      "everything missing (AWS defaults)",
      { eventSourceArn: compliant.eventSourceArn, startingPosition: "LATEST" },
      [
        DESTINATION,
        "`bisectBatchOnFunctionError` must be true, got nothing",
        '`functionResponseTypes` must contain "ReportBatchItemFailures", got nothing',
        RECORD_AGE("nothing"),
        RETRIES("nothing"),
      ],
    ],
    ["an SQS source is not checked", { eventSourceArn: "arn:aws:sqs:eu-west-1:123456789012:q", functionName: "f" }, []],
    [
      "source unknown during preview, stream source checked",
      { ...without("bisectBatchOnFunctionError"), eventSourceArn: UNKNOWN_STRING },
      ["`bisectBatchOnFunctionError` must be true, got nothing"],
    ],
    ["source unknown, no starting position (queue) not checked", { eventSourceArn: UNKNOWN_STRING, functionName: "f" }, []],
    ["destination unknown during preview", { ...compliant, destinationConfig: { onFailure: { destinationArn: UNKNOWN_STRING } } }, []],
  ];
  for (const [title, props, expected] of cases) {
    it(title, async () => expect(await check(mappingFailureHandling, TYPE, props)).to.deep.equal(expected));
  }
});

describe("policy: iam-least-privilege", () => {
  const doc = (...Statement: Props[]) => JSON.stringify({ Version: "2012-10-17", Statement });
  const STAR_ONLY =
    'only xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets, xray:GetSamplingStatisticSummaries, cloudwatch:PutMetricData, cloudwatch:GetMetricData may use "*"';
  const streamArn = "arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-prod";
  const cases: [string, unknown, string[]][] = [
    [
      "per-ARN statements and X-Ray on *",
      doc(
        { Sid: "ReadStream", Effect: "Allow", Action: ["kinesis:GetRecords", "kinesis:GetShardIterator"], Resource: [streamArn] },
        { Sid: "XRayTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] },
        {
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": "kinesis-ingest" } },
        },
      ),
      [],
    ],
    [
      "a document given as an object",
      { Statement: { Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:q" } },
      [],
    ],
    ["Deny with wildcards", doc({ Effect: "Deny", Action: "*", Resource: "*" }), []],
    [
      "action *",
      doc({ Effect: "Allow", Action: "*", Resource: streamArn }),
      ['statement 1 allows wildcard action "*": name each action it needs'],
    ],
    [
      "action with a wildcard inside",
      doc({ Effect: "Allow", Action: ["s3:Get*", "s3:PutObjec?"], Resource: streamArn }),
      ['statement 1 allows wildcard action "s3:Get*", "s3:PutObjec?": name each action it needs'],
    ],
    [
      "action service:*",
      doc({ Sid: "All", Effect: "Allow", Action: ["kinesis:GetRecords", "kinesis:*"], Resource: [streamArn] }),
      ['statement 1 ("All") allows wildcard action "kinesis:*": name each action it needs'],
    ],
    [
      "Resource * for a stream action",
      doc(
        { Sid: "XRay", Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: "*" },
        { Sid: "Put", Effect: "Allow", Action: ["kinesis:PutRecords", "xray:PutTelemetryRecords"], Resource: ["*"] },
      ),
      [`statement 2 ("Put") allows "kinesis:PutRecords" on \`Resource: "*"\`: name the resource ARNs (${STAR_ONLY})`],
    ],
    [
      "both wildcards",
      doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
      [
        'statement 1 allows wildcard action "s3:*": name each action it needs',
        `statement 1 allows "s3:*" on \`Resource: "*"\`: name the resource ARNs (${STAR_ONLY})`,
      ],
    ],
    [
      "NotAction",
      doc({ Effect: "Allow", NotAction: "iam:*", Resource: streamArn }),
      ["statement 1 allows `NotAction`, which grants every other action: list the actions it needs in `Action`"],
    ],
    [
      "NotResource",
      doc({ Effect: "Allow", Action: "sqs:SendMessage", NotResource: streamArn }),
      ["statement 1 allows `NotResource`, which grants every other resource: list the resource ARNs in `Resource`"],
    ],
    ["not JSON", "{Statement", ['the policy document is not valid JSON, got "{Statement"']],
    ["unknown during preview", UNKNOWN_STRING, []],
  ];
  for (const type of ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy"]) {
    for (const [title, document, expected] of cases) {
      it(`${type}: ${title}`, async () =>
        expect(await check(iamLeastPrivilege, type, { role: "r", policy: document })).to.deep.equal(expected));
    }
  }
  it("checks each inline policy of a role, naming it", async () => {
    const props = {
      assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
      inlinePolicies: [
        { name: "fine", policy: doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:q" }) },
        { name: "admin", policy: doc({ Effect: "Allow", Action: "*", Resource: streamArn }) },
        { policy: doc({ Effect: "Allow", Action: "kinesis:*", Resource: streamArn }) },
        { name: "later", policy: UNKNOWN_STRING },
      ],
    };
    expect(await check(iamLeastPrivilege, "aws:iam/role:Role", props)).to.deep.equal([
      'inline policy "admin": statement 1 allows wildcard action "*": name each action it needs',
      'inline policy 3: statement 1 allows wildcard action "kinesis:*": name each action it needs',
    ]);
  });
  it("checks a secret policy document once unwrapped, as the analyzer hands it over", async () => {
    const secretDocument = { ...SECRET, value: doc({ Effect: "Allow", Action: "*", Resource: streamArn }) };
    expect(
      await check(iamLeastPrivilege, "aws:iam/rolePolicy:RolePolicy", unwrapSecrets({ policy: secretDocument }) as Props),
    ).to.deep.equal(['statement 1 allows wildcard action "*": name each action it needs']);
  });
});

describe("policy: lambda-active-tracing", () => {
  const TYPE = "aws:lambda/function:Function";
  const cases: [string, Props, string[]][] = [
    ["Active", { name: "f", tracingConfig: { mode: "Active" } }, []],
    [
      "PassThrough",
      { name: "f", tracingConfig: { mode: "PassThrough" } },
      ['`tracingConfig.mode` must be "Active" so every invocation is traced in X-Ray, got "PassThrough"'],
    ],
    ["unset", { name: "f" }, ['`tracingConfig.mode` must be "Active" so every invocation is traced in X-Ray, got nothing']],
    ["unknown during preview", { name: "f", tracingConfig: { mode: UNKNOWN_STRING } }, []],
  ];
  for (const [title, props, expected] of cases) {
    it(title, async () => expect(await check(functionActiveTracing, TYPE, props)).to.deep.equal(expected));
  }
});

describe("policy: lambda-log-group-retention (stack)", () => {
  const fn = (name: string, props: Props = {}) => ({ type: "aws:lambda/function:Function", name, props: { name, ...props } });
  const group = (name: string, props: Props) => ({ type: "aws:cloudwatch/logGroup:LogGroup", name, props });
  const cases: [string, { type: string; name: string; props: Props }[], [string, string | undefined][]][] = [
    ["default log group with retention", [fn("ingest"), group("ingest-logs", { name: "/aws/lambda/ingest", retentionInDays: 14 })], []],
    [
      "custom log group from loggingConfig",
      [
        fn("ingest", { loggingConfig: { logFormat: "JSON", logGroup: "/kinesis-ingest/ingest" } }),
        group("ingest-logs", { name: "/kinesis-ingest/ingest", retentionInDays: 90 }),
      ],
      [],
    ],
    [
      "no log group",
      [fn("ingest"), group("other", { name: "/aws/lambda/other", retentionInDays: 14 })],
      [
        [
          'Lambda function ingest has no log group: create an aws:cloudwatch/logGroup:LogGroup named "/aws/lambda/ingest" with `retentionInDays` (otherwise Lambda creates one that keeps logs forever)',
          "urn:ingest",
        ],
      ],
    ],
    [
      "loggingConfig names a group that is not in the stack",
      [fn("ingest", { loggingConfig: { logGroup: "/custom" } }), group("g", { name: "/aws/lambda/ingest", retentionInDays: 7 })],
      [
        [
          'Lambda function ingest has no log group: create an aws:cloudwatch/logGroup:LogGroup named "/custom" with `retentionInDays` (otherwise Lambda creates one that keeps logs forever)',
          "urn:ingest",
        ],
      ],
    ],
    [
      "log group without retention",
      [fn("ingest"), group("ingest-logs", { name: "/aws/lambda/ingest" })],
      [
        [
          'log group "/aws/lambda/ingest" of Lambda function ingest keeps logs forever: set `retentionInDays`, got nothing',
          "urn:ingest-logs",
        ],
      ],
    ],
    [
      "retention 0 (never expire)",
      [fn("ingest"), group("ingest-logs", { name: "/aws/lambda/ingest", retentionInDays: 0 })],
      [['log group "/aws/lambda/ingest" of Lambda function ingest keeps logs forever: set `retentionInDays`, got 0', "urn:ingest-logs"]],
    ],
    ["function name unknown during preview", [fn("ingest", { name: UNKNOWN_STRING })], []],
    ["a log group name unknown during preview", [fn("ingest"), group("g", { name: UNKNOWN_STRING, retentionInDays: 7 })], []],
    [
      "retention unknown during preview",
      [fn("ingest"), group("g", { name: "/aws/lambda/ingest", retentionInDays: "3eeb2bf0-c639-47a8-9e75-3b44932eb421" })],
      [],
    ],
  ];
  for (const [title, resources, expected] of cases) {
    it(title, async () => expect(await checkStack(functionLogGroupRetention, resources)).to.deep.equal(expected));
  }
});

describe("policy: offline evaluation of recorded resources", () => {
  it("runs every policy and names the resource each violation is on", async () => {
    const resources: RecordedResource[] = [
      { type: "aws:kinesis/stream:Stream", name: "stream", urn: "urn:stream", inputs: { encryptionType: "NONE" }, outputs: {} },
      {
        type: "aws:lambda/function:Function",
        name: "fn",
        urn: "urn:fn",
        inputs: { name: "f", tracingConfig: { mode: "Active" } },
        outputs: { name: "f" },
      },
    ];
    expect(await evaluatePolicies(resources, policies)).to.deep.equal([
      {
        policy: "kinesis-stream-encrypted",
        resource: "stream",
        urn: "urn:stream",
        message: '`encryptionType` must be "KMS" so records are encrypted at rest, got "NONE"',
      },
      {
        policy: "lambda-log-group-retention",
        resource: "fn",
        urn: "urn:fn",
        message:
          'Lambda function f has no log group: create an aws:cloudwatch/logGroup:LogGroup named "/aws/lambda/f" with `retentionInDays` (otherwise Lambda creates one that keeps logs forever)',
      },
    ]);
  });
});
