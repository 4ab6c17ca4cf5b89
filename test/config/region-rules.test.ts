/**
 * Where a stack's ARNs may point (config/region-rules.ts): the `aws` partition only, everywhere the stack file
 * names an ARN and for the stack's Region (IAM User Guide: "Identify AWS resources with Amazon Resource Names
 * (ARNs)", partitions; the AWS SDKs' partition Region patterns), and a fan-out `targetArn` in the stack's own
 * Region (SDK for JavaScript: "Set the AWS Region"; Lambda: "Defined runtime environment variables",
 * AWS_REGION).
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import { partitionOfArn, partitionOfRegion } from "../../semantics/partitions";
import { problemsOf } from "./problems";

const A = "123456789012";
const WHY = "kinesis-ingest deploys to the aws partition only (it writes arn:aws:… ARNs and ….amazonaws.com hosts)";

/** The problems of `raw` validated for a stack deploying to `region`. */
function problemsIn(region: string, raw: Record<string, unknown>): readonly string[] {
  try {
    validateStackConfig(raw, undefined, { stack: "dev", region });
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
}

describe("config: the aws partition only (IAM User Guide: ARNs, partition; SDK partitions' Region patterns)", () => {
  it("knows each partition's Regions, the aws partition's new ones included", () => {
    const regions = [
      "eu-west-1",
      "il-central-1",
      "mx-central-1",
      "cn-north-1",
      "us-gov-west-1",
      "us-iso-east-1",
      "us-isob-east-1",
      "eusc-de-east-1",
    ];
    expect(regions.map(partitionOfRegion)).to.deep.equal(["aws", "aws", "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-eusc"]);
    expect(partitionOfRegion("mars-north-1")).to.equal(undefined);
    expect(partitionOfArn(`arn:aws-us-gov:sqs:us-gov-west-1:${A}:q`)).to.equal("aws-us-gov");
  });

  it("refuses a fan-out targetArn of aws-cn or aws-us-gov, naming the partition (the program writes arn:aws: grants and .amazonaws.com queue URLs)", () => {
    expect(
      problemsOf({
        consumers: {
          q: { handler: "sqs", targetArn: `arn:aws-cn:sqs:cn-north-1:${A}:orders` },
          t: { handler: "sns", targetArn: `arn:aws-us-gov:sns:us-gov-west-1:${A}:orders` },
        },
      }),
    ).to.deep.equal([
      `\`consumers.q.targetArn\` is in partition aws-cn, got "arn:aws-cn:sqs:cn-north-1:${A}:orders": ${WHY}`,
      `\`consumers.t.targetArn\` is in partition aws-us-gov, got "arn:aws-us-gov:sns:us-gov-west-1:${A}:orders": ${WHY}`,
    ]);
  });

  it("refuses an api.certificateArn and a permissions resource of another partition", () => {
    const cert = `arn:aws-us-gov:acm:us-gov-west-1:${A}:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab`;
    expect(problemsOf({ api: { front: "alb", auth: "none", certificateArn: cert } })).to.deep.equal([
      `\`api.certificateArn\` is in partition aws-us-gov, got ${JSON.stringify(cert)}: ${WHY}`,
    ]);
    const permissions = [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::ok/*", "arn:aws-cn:s3:::elsewhere/*"] }];
    expect(problemsOf({ consumers: { f: { handler: "forwarder", permissions } } })).to.deep.equal([
      `\`consumers.f.permissions[0].resources[1]\` is in partition aws-cn, got "arn:aws-cn:s3:::elsewhere/*": ${WHY}`,
    ]);
  });

  it("refuses a stack whose Region is in another partition, or no known Region", () => {
    expect(problemsIn("cn-northwest-1", {})).to.deep.equal([
      `the stack's Region \`aws:region\` cn-northwest-1 is in partition aws-cn: ${WHY}`,
    ]);
    expect(problemsIn("us-gov-east-1", {})).to.deep.equal([
      `the stack's Region \`aws:region\` us-gov-east-1 is in partition aws-us-gov: ${WHY}`,
    ]);
    expect(problemsIn("eu-wst-1x", {})).to.deep.equal([`the stack's Region \`aws:region\` eu-wst-1x is not a known Region: ${WHY}`]);
  });

  it("keeps every aws-partition ARN and Region, and checks no Region without one (the local stack)", () => {
    const consumers = { q: { handler: "sqs", targetArn: `arn:aws:sqs:us-east-1:${A}:orders` } };
    expect(problemsIn("eu-central-2", {})).to.deep.equal([]);
    expect(problemsOf({ consumers })).to.deep.equal([]);
  });
});

describe("config: a fan-out targetArn in the stack's own Region (SDK for JavaScript: Set the AWS Region; Lambda runtime AWS_REGION)", () => {
  it("refuses a queue, topic or bus in another Region, naming both Regions", () => {
    const consumers = {
      q: { handler: "sqs", targetArn: `arn:aws:sqs:us-east-1:${A}:orders` },
      t: { handler: "sns", targetArn: `arn:aws:sns:eu-west-1:${A}:orders` },
      b: { handler: "eventbridge", targetArn: `arn:aws:events:ap-southeast-2:${A}:event-bus/orders` },
    };
    expect(problemsIn("eu-west-1", { consumers })).to.deep.equal(
      [
        ["q", "us-east-1"],
        ["b", "ap-southeast-2"],
      ].map(
        ([name, region]) =>
          `\`consumers.${name}.targetArn\` is in Region ${region}, and the stack deploys to eu-west-1: the function's SDK client is made for its own Region (AWS_REGION) and cannot publish there; ` +
          `name a queue, topic or bus in eu-west-1, or remove \`targetArn\` to let the stack create one (forward to ${region} from there, e.g. an EventBridge rule targeting a bus in ${region})`,
      ),
    );
  });

  it("accepts a target in the stack's Region, and a created target (no targetArn)", () => {
    const consumers = { q: { handler: "sqs", targetArn: `arn:aws:sqs:eu-west-1:${A}:orders` }, t: { handler: "sns" } };
    expect(problemsIn("eu-west-1", { consumers })).to.deep.equal([]);
  });
});
