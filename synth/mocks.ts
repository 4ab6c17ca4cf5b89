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
import { wrapSecret } from "../policy/offline";

/** The account the plan pretends to deploy into (AWS's documentation account). */
const PLAN_ACCOUNT = "123456789012";
/** Stand-in for the Region's Elastic Load Balancing account (the real one is per Region). */
const PLAN_ELB_ACCOUNT = "127311923021";

type Values = Record<string, unknown>;
type Computed = { readonly id: string; readonly outputs: Values };

/** Lowercase letters and digits derived from `seed`: API Gateway ids, suffixes of generated names. */
function shortId(seed: string, length: number): string {
  const digest = BigInt(`0x${createHash("sha256").update(seed).digest("hex")}`);
  return digest.toString(36).slice(0, length);
}

function uuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** How the fake AWS makes up the values AWS generates. */
export interface GeneratedIds {
  /** The id of a new resource, given the one in AWS's own format (`natural`). */
  readonly resourceId: (name: string, natural: string) => string;
  /** `length` lowercase letters and digits for `seed`: suffixes of generated names, API ids, key values. */
  readonly token: (seed: string, length: number) => string;
  /** A UUID for `seed`. */
  readonly uuid: (seed: string) => string;
}

/** The offline plan's scheme: ids in AWS's formats, hashed from the names (unique, and stable across runs). */
const HASHED_IDS: GeneratedIds = { resourceId: (_name, natural) => natural, token: shortId, uuid };

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

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
    case "aws:lb/listener:Listener": {
      // The rules name their listener by this ARN: without it a plan cannot show a rule moving to another listener.
      const arn = `arn:aws:elasticloadbalancing:${r}:${a}:listener/app/api-alb/${token(name, 16)}/${ids.resourceId(name, token(`listener:${name}`, 16))}`;
      return { id: arn, outputs: { arn } };
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const arn = `${text(inputs.topic, "topic")}:${uuid(name)}`;
      return { id: arn, outputs: { arn } };
    }
    case "aws:apigatewayv2/api:Api":
      return {
        id: apiId,
        outputs: {
          // A WebSocket API's endpoint is `wss://…`, an HTTP API's `https://…` (GetApi's ApiEndpoint).
          apiEndpoint: `${inputs.protocolType === "WEBSOCKET" ? "wss" : "https"}://${apiId}.execute-api.${r}.amazonaws.com`,
          executionArn: `arn:aws:execute-api:${r}:${a}:${apiId}`,
          arn: `arn:aws:apigateway:${r}::/apis/${apiId}`,
        },
      };
    case "aws:apigatewayv2/stage:Stage":
      return {
        id: text(inputs.name, "$default"),
        outputs: { invokeUrl: `https://${text(inputs.apiId, apiId)}.execute-api.${r}.amazonaws.com/${text(inputs.name, "")}` },
      };
    case "aws:apigateway/restApi:RestApi":
      return {
        id: apiId,
        outputs: {
          rootResourceId: token(`root:${name}`, 10),
          executionArn: `arn:aws:execute-api:${r}:${a}:${apiId}`,
          arn: `arn:aws:apigateway:${r}::/restapis/${apiId}`,
        },
      };
    case "aws:apigateway/resource:Resource":
      return { id: token(`resource:${name}`, 6), outputs: { path: `/${text(inputs.pathPart, "")}` } };
    case "aws:apigateway/stage:Stage": {
      const stage = text(inputs.stageName, "stage");
      return {
        id: `ags-${text(inputs.restApi, apiId)}-${stage}`,
        outputs: {
          invokeUrl: `https://${text(inputs.restApi, apiId)}.execute-api.${r}.amazonaws.com/${stage}`,
          executionArn: `arn:aws:execute-api:${r}:${a}:${text(inputs.restApi, apiId)}/${stage}`,
        },
      };
    }
    case "aws:appsync/graphQLApi:GraphQLApi":
      // GetGraphqlApi's uris: the GraphQL endpoint (`api.graphqlUrl`) and the real-time one.
      return {
        id: apiId,
        outputs: {
          arn: `arn:aws:appsync:${r}:${a}:apis/${apiId}`,
          uris: {
            GRAPHQL: `https://${apiId}.appsync-api.${r}.amazonaws.com/graphql`,
            REALTIME: `wss://${apiId}.appsync-realtime-api.${r}.amazonaws.com/graphql`,
          },
        },
      };
    case "aws:appsync/apiKey:ApiKey":
      // AppSync's keys are `da2-` and 26 characters; the provider marks `key` secret.
      return {
        id: `${text(inputs.apiId, apiId)}:${token(`key:${name}`, 10)}`,
        outputs: { key: wrapSecret(`da2-${token(`value:${name}`, 26)}`) },
      };
    case "aws:apigateway/apiKey:ApiKey":
      // The provider marks the key's value secret; so does the plan.
      return { id: token(`key:${name}`, 10), outputs: { value: wrapSecret(token(`value:${name}`, 40)) } };
    case "aws:s3/bucket:Bucket": {
      const bucket = physical("bucket");
      return { id: bucket, outputs: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
    }
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: `sg-${token(name, 17)}`, outputs: { arn: `arn:aws:ec2:${r}:${a}:security-group/sg-${token(name, 17)}` } };
    case "awsx:lb:ApplicationLoadBalancer": {
      const lb = `arn:aws:elasticloadbalancing:${r}:${a}:loadbalancer/app/${name}/${token(name, 16)}`;
      return {
        id: "",
        outputs: {
          loadBalancer: { arn: lb, dnsName: `${name}-${token(name, 10)}.${r}.elb.amazonaws.com` },
          defaultTargetGroup: { arn: `arn:aws:elasticloadbalancing:${r}:${a}:targetgroup/${name}/${token(`tg:${name}`, 16)}` },
          // One listener per `listeners` entry (or the one `listener`), in order.
          listeners: (Array.isArray(inputs.listeners) ? inputs.listeners : [inputs.listener]).map((_, i) => ({
            arn: `${lb.replace(":loadbalancer/", ":listener/")}/${token(i === 0 ? `l:${name}` : `l${i}:${name}`, 16)}`,
          })),
          vpcId: "vpc-0a1b2c3d4e5f60718",
        },
      };
    }
    default:
      return { id: `${name}-${token(type + name, 8)}`, outputs: {} };
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
