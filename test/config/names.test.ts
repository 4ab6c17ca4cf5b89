/**
 * Every physical and auto-generated name against its service's limit (semantics/name-limits.ts), before any
 * resource: Lambda CreateFunction (64), SQS CreateQueue (80), IAM CreateRole (64, with Pulumi's 8-character
 * auto-name suffix), CloudWatch PutMetricAlarm (255) and PutDashboard (255, letters digits _ -), Kinesis
 * CreateStream and RegisterStreamConsumer (128), Secrets Manager CreateSecret (512), ELB CreateLoadBalancer
 * and CreateTargetGroup (32), S3 bucket naming rules (63), CloudWatch Logs CreateLogGroup (512), Pulumi stacks (100).
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import { nameProblems, type NamedStack } from "../../config/name-checks";
import { NAME_LIMITS, nameViolation } from "../../semantics/name-limits";

const base: NamedStack = {
  stack: "dev",
  front: "http-api",
  auth: "token",
  createApiGatewayAccountRole: false,
  fanOutConsumers: [],
  consumers: [{ name: "forwarder" }],
};
const consumer = (name: string): NamedStack => ({ ...base, consumers: [{ name }] });

describe("config: names against AWS limits (table-driven)", () => {
  describe("each limit at its boundary", () => {
    for (const [kind, limit] of Object.entries(NAME_LIMITS)) {
      it(`${kind} (${limit.source}): ${limit.maxLength} characters pass, ${limit.maxLength + 1} do not`, () => {
        // FIFO queue and topic names end .fifo.
        const fifo = limit.pattern.source.includes("\\.fifo");
        const ok = fifo ? `${"a".repeat(limit.maxLength - 5)}.fifo` : "a".repeat(limit.maxLength);
        expect(nameViolation(ok, limit)).to.equal(undefined);
        expect(nameViolation(fifo ? `a${ok}` : `${ok}a`, limit)).to.equal(
          `is ${limit.maxLength + 1} characters; ${limit.what} has at most ${limit.maxLength}`,
        );
      });
    }
  });

  it("a 40-character consumer name makes its auto-named execution role 65 characters (IAM CreateRole: 64)", () => {
    const name = `c${"x".repeat(39)}`;
    expect(nameProblems(consumer(name))).to.deep.equal([
      `\`consumers.${name}\` (stack \`dev\`) names the function's execution role of consumer ${name} \`consumer-${name}-fn-role\` + Pulumi's 8-character suffix, ` +
        "which is 65 characters; an IAM role name has at most 64 (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html): shorten the name by 1 character",
    ]);
  });

  it("a 39-character consumer name fits every limit on stack dev", () => {
    expect(nameProblems(consumer(`c${"x".repeat(38)}`))).to.deep.equal([]);
  });

  it("a long stack name is refused for each Lambda function name it makes too long (Lambda CreateFunction: 64), naming the stack", () => {
    const stack = "s".repeat(39); // kinesis-ingest-<39>-authorizer = 65
    const problems = nameProblems({ ...base, stack, consumers: [] });
    expect(problems).to.deep.equal([
      `the stack name \`${stack}\` names the authorizer function \`kinesis-ingest-${stack}-authorizer\`, which is 65 characters; ` +
        "a Lambda function name has at most 64 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html): shorten the stack name by 1 character",
    ]);
    expect(nameProblems({ ...base, stack: "s".repeat(38), consumers: [] })).to.deep.equal([]);
  });

  it("the stack name and consumer name together: kinesis-ingest-<stack>-<consumer> at 64 passes, at 65 fails", () => {
    expect(nameProblems({ ...base, auth: "none", stack: "s".repeat(20), consumers: [{ name: `c${"x".repeat(27)}` }] })).to.deep.equal([]);
    const problems = nameProblems({ ...base, auth: "none", stack: "s".repeat(21), consumers: [{ name: `c${"x".repeat(27)}` }] });
    expect(problems.map((p) => p.split(" names ")[1]!.split(" `")[0])).to.deep.equal([
      "the function of consumer cxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ]);
  });

  it("a stack name with a dot is refused where Lambda, SQS and CloudWatch dashboards allow no dot", () => {
    const problems = nameProblems({ ...base, stack: "dev.1" });
    expect(problems.map((p) => p.split(" names ")[1]!.split(" `")[0])).to.deep.equal([
      "the ingest function",
      "the dashboard",
      "the alarm topic",
      "the authorizer function",
      "the function of consumer forwarder",
      "the on-failure queue of consumer forwarder",
    ]);
    expect(problems[1]).to.equal(
      "the stack name `dev.1` names the dashboard `kinesis-ingest-dev.1`, which has characters a CloudWatch dashboard name cannot have (allowed: letters, digits, `_` or `-`) " +
        "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html)",
    );
  });

  it("a 101-character stack name breaks Pulumi's own limit (100) first of all", () => {
    expect(nameProblems({ ...base, stack: "s".repeat(101) })[0]).to.equal(
      `the stack name \`${"s".repeat(101)}\` names the stack \`${"s".repeat(101)}\`, which is 101 characters; a Pulumi stack name has at most 100 ` +
        "(https://www.pulumi.com/docs/iac/concepts/stacks/): shorten the stack name by 1 character",
    );
  });

  it("the replay mapping's own fan-out consumer is checked too (RegisterStreamConsumer: 128)", () => {
    const fanOut = "f".repeat(122); // + "-replay" = 129
    const problems = nameProblems({
      ...base,
      fanOutConsumers: [fanOut],
      consumers: [{ name: "forwarder", fanOutConsumer: fanOut, replayFrom: "2026-01-01T00:00:00Z" }],
    });
    expect(problems).to.deep.equal([
      `\`consumers.forwarder.fanOutConsumer\` (stack \`dev\`) names the replay mapping's fan-out consumer of consumer forwarder \`${fanOut}-replay\`, which is 129 characters; ` +
        "a Kinesis stream consumer name has at most 128 (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html): shorten the name by 1 character",
    ]);
  });

  it("the validator reports name problems with every other problem, only when it knows the stack", () => {
    const raw = { consumers: { [`c${"x".repeat(39)}`]: { handler: "forwarder" } }, stream: { shards: 0 } };
    expect(() => validateStackConfig(raw)).to.throw(ConfigValidationError, "has 1 problem");
    try {
      validateStackConfig(raw, "Pulumi.dev.yaml", { stack: "dev" });
      expect.fail("accepted");
    } catch (error) {
      expect((error as ConfigValidationError).problems.map((p) => p.slice(0, 30))).to.deep.equal([
        "`stream.shards` must be an int",
        `\`consumers.c${"x".repeat(18)}`,
      ]);
    }
  });
});
