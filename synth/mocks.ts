/**
 * The one stand-in for AWS when the program runs under mocks (the offline plan and the program tests): for
 * each resource type the id and computed outputs (ARNs, URLs, generated ids) AWS would return, in AWS's real
 * formats, and the data sources the program reads. Generated values come from a `GeneratedIds` scheme: the
 * plan's derives them deterministically from the resource's name, so two plans of the same stack print the
 * same thing; the tests use readable ones they can spell out. Data-source calls the program does not make
 * are errors, so a new dependency on AWS is noticed instead of silently answered.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { text, type Computed, type GeneratedIds, type Values } from "./mock-values";
import { frontAnswer } from "./mocks-fronts";

export type { GeneratedIds } from "./mock-values";

/** The account the plan pretends to deploy into (AWS's documentation account). */
const PLAN_ACCOUNT = "123456789012";
/** Stand-in for the Region's Elastic Load Balancing account (the real one is per Region). */
const PLAN_ELB_ACCOUNT = "127311923021";

/** Lowercase letters and digits derived from `seed`: API Gateway ids, suffixes of generated names. */
function shortId(seed: string, length: number): string {
  const digest = BigInt(`0x${createHash("sha256").update(seed).digest("hex")}`);
  return digest.toString(36).slice(0, length);
}

function uuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The offline plan's scheme: ids in AWS's formats, hashed from the names (unique, and stable across runs). */
const HASHED_IDS: GeneratedIds = { resourceId: (_name, natural) => natural, token: shortId, uuid };

/**
 * The id and computed outputs of a new resource. `name` is the logical name; a physical name the program
 * leaves to Pulumi's auto-naming becomes `<logical>-<7 characters>`, as Pulumi does.
 */
export function computeResource(type: string, name: string, inputs: Values, region: string, ids: GeneratedIds = HASHED_IDS): Computed {
  const computed = awsAnswer(type, name, inputs, region, ids);
  return { id: ids.resourceId(name, computed.id), outputs: computed.outputs };
}

/** The id in AWS's own format and the computed outputs. */
function awsAnswer(type: string, name: string, inputs: Values, region: string, ids: GeneratedIds): Computed {
  const r = region;
  const a = PLAN_ACCOUNT;
  const { token, uuid } = ids;
  const physical = (key = "name") => text(inputs[key], `${name}-${token(type + name, 7)}`);
  const apiId = ids.resourceId(name, token(`api:${name}`, 10));
  switch (type) {
    case "aws:kinesis/stream:Stream": {
      const arn = `arn:aws:kinesis:${r}:${a}:stream/${physical()}`;
      return { id: arn, outputs: { name: physical(), arn } };
    }
    case "aws:kinesis/streamConsumer:StreamConsumer": {
      const arn = `${text(inputs.streamArn, "stream")}/consumer/${physical()}:1700000000`;
      return { id: arn, outputs: { name: physical(), arn } };
    }
    case "aws:sqs/queue:Queue": {
      const url = `https://sqs.${r}.amazonaws.com/${a}/${physical()}`;
      return { id: url, outputs: { name: physical(), arn: `arn:aws:sqs:${r}:${a}:${physical()}`, url } };
    }
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${r}:${a}:function:${physical()}`;
      const invokeArn = `arn:aws:apigateway:${r}:lambda:path/2015-03-31/functions/${arn}/invocations`;
      return { id: physical(), outputs: { name: physical(), arn, qualifiedArn: `${arn}:$LATEST`, invokeArn, version: "$LATEST" } };
    }
    case "aws:lambda/alias:Alias": {
      const arn = `arn:aws:lambda:${r}:${a}:function:${text(inputs.functionName, "fn")}:${physical()}`;
      return { id: arn, outputs: { arn, invokeArn: `arn:aws:apigateway:${r}:lambda:path/2015-03-31/functions/${arn}/invocations` } };
    }
    case "aws:lambda/eventSourceMapping:EventSourceMapping": {
      const id = uuid(name);
      return {
        id,
        outputs: {
          uuid: id,
          arn: `arn:aws:lambda:${r}:${a}:event-source-mapping:${id}`,
          state: inputs.enabled === false ? "Disabled" : "Enabled",
        },
      };
    }
    case "aws:dynamodb/table:Table":
      return { id: physical(), outputs: { name: physical(), arn: `arn:aws:dynamodb:${r}:${a}:table/${physical()}`, streamArn: "" } };
    case "aws:iam/role:Role":
      return {
        id: physical(),
        outputs: { name: physical(), arn: `arn:aws:iam::${a}:role/${physical()}`, uniqueId: `AROA${token(name, 17).toUpperCase()}` },
      };
    case "aws:sfn/stateMachine:StateMachine": {
      const arn = `arn:aws:states:${r}:${a}:stateMachine:${physical()}`;
      return { id: arn, outputs: { name: physical(), arn } };
    }
    case "aws:iam/policy:Policy":
      return { id: `arn:aws:iam::${a}:policy/${physical()}`, outputs: { name: physical(), arn: `arn:aws:iam::${a}:policy/${physical()}` } };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: physical(), outputs: { name: physical(), arn: `arn:aws:logs:${r}:${a}:log-group:${physical()}` } };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { id: physical(), outputs: { name: physical(), arn: `arn:aws:cloudwatch:${r}:${a}:alarm:${physical()}` } };
    case "aws:cloudwatch/dashboard:Dashboard":
      return {
        id: text(inputs.dashboardName, name),
        outputs: { dashboardArn: `arn:aws:cloudwatch::${a}:dashboard/${text(inputs.dashboardName, name)}` },
      };
    case "aws:secretsmanager/secret:Secret": {
      const arn = `arn:aws:secretsmanager:${r}:${a}:secret:${physical()}-${token(name, 6)}`;
      return { id: arn, outputs: { name: physical(), arn } };
    }
    case "aws:ssm/parameter:Parameter":
      // Parameter Store's ARN: `parameter/` then the name without its leading slash.
      return { id: physical(), outputs: { name: physical(), arn: `arn:aws:ssm:${r}:${a}:parameter/${physical().replace(/^\//, "")}` } };
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return { id: `${text(inputs.secretId, "secret")}|${uuid(name)}`, outputs: { versionId: uuid(name) } };
    case "aws:kms/key:Key": {
      const keyId = uuid(name);
      return { id: keyId, outputs: { keyId, arn: `arn:aws:kms:${r}:${a}:key/${keyId}` } };
    }
    case "aws:cognito/userPool:UserPool": {
      // Cognito's pool ids are `<region>_<9 characters>`; the issuer URL and the ARN are built from them.
      const id = `${r}_${token(name, 9)}`;
      return {
        id,
        outputs: {
          name: physical(),
          arn: `arn:aws:cognito-idp:${r}:${a}:userpool/${id}`,
          endpoint: `cognito-idp.${r}.amazonaws.com/${id}`,
        },
      };
    }
    case "aws:sns/topic:Topic": {
      const arn = `arn:aws:sns:${r}:${a}:${physical()}`;
      return { id: arn, outputs: { name: physical(), arn } };
    }
    case "aws:cloudwatch/eventBus:EventBus": {
      const arn = `arn:aws:events:${r}:${a}:event-bus/${physical()}`;
      return { id: physical(), outputs: { name: physical(), arn } };
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const arn = `${text(inputs.topic, "topic")}:${uuid(name)}`;
      return { id: arn, outputs: { arn } };
    }
    case "aws:s3/bucket:Bucket": {
      const bucket = physical("bucket");
      return { id: bucket, outputs: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
    }
    default:
      return (
        frontAnswer(type, name, inputs, { region: r, account: a, apiId, ids }) ?? { id: `${name}-${token(type + name, 8)}`, outputs: {} }
      );
  }
}

/** Answers the data sources the program reads (the default VPC for the ALB front). */
export function answerCall(args: pulumi.runtime.MockCallArgs, region: string): Values {
  switch (args.token) {
    case "aws:ec2/getVpc:getVpc":
      return {
        id: "vpc-0a1b2c3d4e5f60718",
        default: true,
        cidrBlock: "172.31.0.0/16",
        arn: `arn:aws:ec2:${region}:${PLAN_ACCOUNT}:vpc/vpc-0a1b2c3d4e5f60718`,
      };
    case "aws:ec2/getSubnets:getSubnets":
      return { id: region, ids: ["a", "b", "c"].map((az) => `subnet-0${shortId(`subnet:${az}`, 16)}`) };
    case "aws:index/getRegion:getRegion":
      return { id: region, name: region, region };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: PLAN_ACCOUNT,
        accountId: PLAN_ACCOUNT,
        arn: `arn:aws:iam::${PLAN_ACCOUNT}:user/offline-plan`,
        userId: "AIDAOFFLINEPLAN",
      };
    case "aws:kms/getAlias:getAlias": {
      // An AWS-managed key's alias (alias/aws/<service>) resolves to a key id fixed for the plan.
      const name = String(args.inputs.name);
      const keyId = `${shortId(`key:${name}`, 8)}-0000-4000-a000-000000000000`;
      const targetKeyArn = `arn:aws:kms:${region}:${PLAN_ACCOUNT}:key/${keyId}`;
      return { id: name, name, arn: `arn:aws:kms:${region}:${PLAN_ACCOUNT}:${name}`, targetKeyId: keyId, targetKeyArn };
    }
    case "aws:elb/getServiceAccount:getServiceAccount":
      return { id: "elb-account", arn: `arn:aws:iam::${PLAN_ELB_ACCOUNT}:root` };
    default:
      throw new Error(`the offline plan has no answer for data source ${args.token}: add it to synth/mocks.ts`);
  }
}
