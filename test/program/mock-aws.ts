/**
 * What the mocks answer in place of AWS: the computed outputs (ARNs, URLs, ids) each resource type would
 * get, in AWS's real formats, and the data-source calls the program makes. Unknown calls throw.
 */
export const MOCK_REGION = "eu-west-1";
export const MOCK_ACCOUNT = "123456789012";

const R = MOCK_REGION;
const A = MOCK_ACCOUNT;

type Inputs = Record<string, unknown>;

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value.length > 0 ? value : fallback;
}

/** The outputs AWS would compute for a new resource of `type`. */
export function computedOutputs(type: string, name: string, inputs: Inputs): Inputs {
  const physical = (key = "name") => text(inputs[key], `${name}-a1b2c3d`);
  switch (type) {
    case "aws:kinesis/stream:Stream":
      return { name: physical(), arn: `arn:aws:kinesis:${R}:${A}:stream/${physical()}` };
    case "aws:kinesis/streamConsumer:StreamConsumer":
      return { arn: `${text(inputs.streamArn, "stream")}/consumer/${physical()}:1700000000` };
    case "aws:sqs/queue:Queue":
      return { name: physical(), arn: `arn:aws:sqs:${R}:${A}:${physical()}`, url: `https://sqs.${R}.amazonaws.com/${A}/${physical()}` };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${R}:${A}:function:${physical()}`;
      return { name: physical(), arn, invokeArn: `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/${arn}/invocations` };
    }
    case "aws:lambda/alias:Alias":
      return { arn: `arn:aws:lambda:${R}:${A}:function:${text(inputs.functionName, "fn")}:${physical()}` };
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
      return { uuid: `${name}-uuid` };
    case "aws:iam/role:Role":
      return { name: physical(), arn: `arn:aws:iam::${A}:role/${physical()}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: physical(), arn: `arn:aws:logs:${R}:${A}:log-group:${physical()}` };
    case "aws:secretsmanager/secret:Secret":
      return { name: physical(), arn: `arn:aws:secretsmanager:${R}:${A}:secret:${physical()}-AbCdEf` };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:${R}:${A}:key/${name}-0000-4000-a000-000000000000` };
    case "aws:sns/topic:Topic":
      return { name: physical(), arn: `arn:aws:sns:${R}:${A}:${physical()}` };
    case "aws:apigatewayv2/api:Api":
      return { apiEndpoint: `https://${name}-id.execute-api.${R}.amazonaws.com`, executionArn: `arn:aws:execute-api:${R}:${A}:${name}-id` };
    case "aws:apigateway/restApi:RestApi":
      return { rootResourceId: "root0000", executionArn: `arn:aws:execute-api:${R}:${A}:${name}-id` };
    case "aws:apigateway/stage:Stage":
      return { invokeUrl: `https://${text(inputs.restApi, "api")}.execute-api.${R}.amazonaws.com/${text(inputs.stageName, "stage")}` };
    case "aws:apigateway/apiKey:ApiKey":
      return { value: "mock-api-key-value-0123456789" };
    case "aws:s3/bucket:Bucket":
      return { bucket: physical("bucket"), arn: `arn:aws:s3:::${physical("bucket")}` };
    case "awsx:lb:ApplicationLoadBalancer":
      return {
        loadBalancer: { arn: `arn:aws:elasticloadbalancing:${R}:${A}:loadbalancer/app/${name}/50dc6c495c0c9188`, dnsName: `${name}-1234567890.${R}.elb.amazonaws.com` },
        defaultTargetGroup: { arn: `arn:aws:elasticloadbalancing:${R}:${A}:targetgroup/${name}/73e2d6bc24d8a067` },
        listeners: [{ arn: `arn:aws:elasticloadbalancing:${R}:${A}:listener/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab2` }],
        vpcId: "vpc-0default",
      };
    default:
      return {};
  }
}

/** Data sources the program reads; anything else is a mistake in the program or in these mocks. */
export function mockCall(token: string, inputs: Inputs): Inputs {
  switch (token) {
    case "aws:ec2/getVpc:getVpc":
      return { id: "vpc-0default", default: inputs.default, cidrBlock: "172.31.0.0/16" };
    case "aws:ec2/getSubnets:getSubnets":
      return { id: R, ids: ["subnet-0a", "subnet-0b", "subnet-0c"] };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { id: A, accountId: A, arn: `arn:aws:iam::${A}:user/mock`, userId: "AIDAMOCK" };
    case "aws:elb/getServiceAccount:getServiceAccount":
      // eu-west-1's ELB account (ELB guide, "Enable access logs")
      return { id: "156460612806", arn: "arn:aws:iam::156460612806:root" };
    default:
      throw new Error(`unexpected call ${token} with ${JSON.stringify(inputs)}`);
  }
}
