/**
 * The `api` keys that decide what the deployed front needs from the account: stage access logs and the API
 * Gateway CloudWatch role, and the ALB's certificate, plaintext opt-in and network. Pure checks of
 * `validateStackConfig`, every problem recorded (docs/aws-semantics.md#api-fronts).
 */
import { API_DEFAULTS, PRODUCTION_STACK } from "./defaults";
import { checkArnPartition } from "./region-rules";
import { ACM_CERTIFICATE_ARN, SUBNET_ID, VPC_ID } from "../semantics/resource-ids";
import { boolean, matching, Problems, stringList, type RawObject } from "./rules";
import type { ApiAuth, ApiConfig, ApiFront } from "./types";

type AccessLogSettings = Pick<ApiConfig, "accessLogs" | "createApiGatewayAccountRole">;
type LoadBalancerSettings = Pick<ApiConfig, "certificateArn" | "allowPlaintext" | "subnetIds" | "vpcId">;

/** `api.accessLogs` and `api.createApiGatewayAccountRole`. */
export function readAccessLogs(p: Problems, a: RawObject, front: ApiFront | undefined): Partial<AccessLogSettings> {
  const accessLogs = boolean(p, "api.accessLogs", a.accessLogs ?? API_DEFAULTS.accessLogs);
  if (a.accessLogs !== undefined && front === "alb") {
    p.say(
      "`api.accessLogs` applies to the API Gateway fronts (http-api, rest-api); the alb front always writes its access logs to S3, got `api.front` alb",
    );
  }
  const createApiGatewayAccountRole = boolean(
    p,
    "api.createApiGatewayAccountRole",
    a.createApiGatewayAccountRole ?? API_DEFAULTS.createApiGatewayAccountRole,
  );
  // REST and WebSocket stages log through the account's CloudWatch role; HTTP API stages do not need it.
  const accountRoleFront = front === "rest-api" || front === "websocket";
  if (createApiGatewayAccountRole === true && front !== undefined && (!accountRoleFront || accessLogs === false)) {
    p.say(
      "`api.createApiGatewayAccountRole` applies only to `api.front` rest-api or websocket with `api.accessLogs` true (the account's CloudWatch role is what REST and WebSocket stage logging needs), " +
        `got \`api.front\` ${front} and \`api.accessLogs\` ${String(accessLogs)}`,
    );
  }
  return { accessLogs, createApiGatewayAccountRole };
}

/** `api.certificateArn`, `api.allowPlaintext`, `api.subnetIds` and `api.vpcId`. */
export function readLoadBalancer(
  p: Problems,
  a: RawObject,
  front: ApiFront | undefined,
  auth: ApiAuth | undefined,
  stack: string | undefined,
): Partial<LoadBalancerSettings> {
  const albOnly = (key: string) => {
    if (a[key] !== undefined && front !== undefined && front !== "alb")
      p.say(`\`api.${key}\` applies only to \`api.front\` alb, got ${front}`);
  };
  for (const key of ["certificateArn", "allowPlaintext", "subnetIds", "vpcId"]) albOnly(key);
  const matched =
    a.certificateArn === undefined
      ? undefined
      : matching(
          p,
          "api.certificateArn",
          a.certificateArn,
          ACM_CERTIFICATE_ARN,
          "an ACM certificate ARN, arn:aws:acm:<region>:<12-digit account>:certificate/<id>",
        );
  const certificateArn = matched !== undefined && checkArnPartition(p, "api.certificateArn", matched) ? matched : undefined;
  const allowPlaintext = boolean(p, "api.allowPlaintext", a.allowPlaintext ?? API_DEFAULTS.allowPlaintext);
  if (allowPlaintext === true && a.certificateArn !== undefined) {
    p.say(
      "`api.allowPlaintext` contradicts `api.certificateArn`: with a certificate the load balancer serves HTTPS only; remove `api.allowPlaintext`",
    );
  }
  if (allowPlaintext === true && stack === PRODUCTION_STACK) {
    p.say(
      `\`api.allowPlaintext\` is refused for the stack named ${PRODUCTION_STACK}: bearer tokens and payloads would cross the network in clear; set \`api.certificateArn\``,
    );
  }
  if (front === "alb" && auth === "token" && a.certificateArn === undefined && allowPlaintext === false) {
    p.say(
      "`api.front` alb with `api.auth` token needs `api.certificateArn` (an ACM certificate: HTTPS on 443, port 80 redirected): " +
        `without one, bearer tokens cross the network in clear; set \`api.allowPlaintext\` true to accept that (never for stack ${PRODUCTION_STACK})`,
    );
  }
  const subnetIds =
    a.subnetIds === undefined
      ? undefined
      : stringList(p, "api.subnetIds", a.subnetIds, 16, (path, v) =>
          matching(p, path, v, SUBNET_ID, "a subnet id, subnet- and 8 to 17 hex digits"),
        );
  if (subnetIds !== undefined && (subnetIds.length < 2 || new Set(subnetIds).size !== subnetIds.length)) {
    p.say(
      `\`api.subnetIds\` must list at least 2 different subnets (an ALB needs subnets in 2 Availability Zones), got ${JSON.stringify(subnetIds)}`,
    );
  }
  const vpcId = a.vpcId === undefined ? undefined : matching(p, "api.vpcId", a.vpcId, VPC_ID, "a VPC id, vpc- and 8 to 17 hex digits");
  if ((a.subnetIds === undefined) !== (a.vpcId === undefined)) {
    p.say("`api.subnetIds` and `api.vpcId` go together: set both (the VPC and its subnets), or neither for the region's default VPC");
  }
  return { certificateArn, allowPlaintext, subnetIds, vpcId };
}
