/**
 * The mocks' answers for the fronts' resources (synth/mocks.ts): API Gateway HTTP, WebSocket and REST APIs,
 * AppSync, and the ALB, with ids, endpoints and ARNs in AWS's formats.
 */
import { wrapSecret } from "../policy/offline";
import { text, type Computed, type GeneratedIds, type Values } from "./mock-values";

/** Where the resource is made and how generated values are made up. */
interface AnswerContext {
  readonly region: string;
  readonly account: string;
  /** The API id the resource's own API would have (`<10 characters>`, or the tests' readable one). */
  readonly apiId: string;
  readonly ids: GeneratedIds;
}

/** The id and computed outputs of a front's resource, or undefined when `type` is not one. */
export function frontAnswer(type: string, name: string, inputs: Values, ctx: AnswerContext): Computed | undefined {
  const { region: r, account: a, apiId, ids } = ctx;
  const { token } = ids;
  switch (type) {
    case "aws:lb/listener:Listener": {
      // The rules name their listener by this ARN: without it a plan cannot show a rule moving to another listener.
      const arn = `arn:aws:elasticloadbalancing:${r}:${a}:listener/app/api-alb/${token(name, 16)}/${ids.resourceId(name, token(`listener:${name}`, 16))}`;
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
      return undefined;
  }
}
