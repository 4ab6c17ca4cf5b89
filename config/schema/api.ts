/** `kinesis-ingest:api`: the front that receives `POST /records`, how callers authenticate, throttling and logs. */
import { ACCOUNT_THROTTLE, AUTHORIZER_CACHE_SECONDS } from "../../semantics/api-gateway-quotas";
import { KMS_KEY_ARN } from "../../semantics/lambda-function";
import { ACM_CERTIFICATE_ARN, SUBNET_ID, USER_POOL_ARN, USER_POOL_CLIENT_ID, VPC_ID } from "../../semantics/resource-ids";
import { choice, flag, int, list, section, text } from "./kit";

/** The JWT authorizer's audiences: API Gateway takes at most 10. */
const MAX_AUDIENCES = 10;

export const API = section(
  {
    front: choice(["http-api", "rest-api", "alb", "websocket", "appsync"], {
      default: "http-api",
      description: "Which front receives `POST /records`.",
    }),
    auth: choice(["none", "token", "iam", "jwt", "cognito"], {
      default: "token",
      description: "How callers authenticate (each front takes some of these: README, `api.auth`).",
    }),
    rateLimit: int({
      minimum: 1,
      maximum: ACCOUNT_THROTTLE.rateLimit,
      default: 1000,
      description: "Steady-state requests per second the gateway allows (stage or usage-plan throttling).",
    }),
    burstLimit: int({
      minimum: 1,
      maximum: ACCOUNT_THROTTLE.burstLimit,
      default: 2000,
      description: "Requests allowed in a burst above the rate.",
    }),
    dailyQuota: int({ minimum: 0, default: 0, description: "Requests a day of the REST API usage plan (`rest-api` only); 0 is no quota." }),
    jwtIssuer: text({ description: "The JWT issuer, an https URL; required with `auth` jwt." }),
    jwtAudience: list(text({ minLength: 1, maxLength: 256, description: "An audience." }), {
      maxItems: MAX_AUDIENCES,
      default: [],
      description: "JWT audiences; non-empty with `auth` jwt.",
    }),
    authorizerCacheSeconds: int({
      minimum: AUTHORIZER_CACHE_SECONDS.min,
      maximum: AUTHORIZER_CACHE_SECONDS.max,
      default: 300,
      description: "How long the token authorizer's answers are cached, in seconds.",
    }),
    accessLogs: flag({ default: true, description: "API Gateway stage access logs and their log group (not on `alb`, which logs to S3)." }),
    createApiGatewayAccountRole: flag({
      default: false,
      description:
        "Create the Region's API Gateway CloudWatch role and set it on the account (`rest-api` or `websocket` with `accessLogs`).",
    }),
    certificateArn: text({
      pattern: ACM_CERTIFICATE_ARN.source,
      description: "`alb` only: the ACM certificate of the HTTPS listener (port 80 then redirects).",
    }),
    allowPlaintext: flag({
      default: false,
      description: "`alb` only: accept `auth` token over plain HTTP without `certificateArn` (refused for stack prod).",
    }),
    subnetIds: list(text({ pattern: SUBNET_ID.source, description: "A subnet id, subnet- and 8 to 17 hex digits." }), {
      maxItems: 16,
      description: "`alb` only: at least 2 subnets in different Availability Zones, with `vpcId`; neither for the default VPC.",
    }),
    vpcId: text({ pattern: VPC_ID.source, description: "`alb` only: the VPC of `subnetIds`." }),
    kmsKeyArn: text({
      pattern: KMS_KEY_ARN.source,
      description: "The customer managed KMS key encrypting the ingest and authorizer functions' environments.",
    }),
    userPoolArn: text({
      pattern: USER_POOL_ARN.source,
      description: "`auth` cognito only: an existing user pool; unset, the stack creates a pool and an app client.",
    }),
    // As many as `jwtAudience` allows: they become the JWT authorizer's audiences.
    userPoolClientIds: list(text({ pattern: USER_POOL_CLIENT_ID.source, description: "An app client id." }), {
      maxItems: MAX_AUDIENCES,
      default: [],
      description: "With `userPoolArn`: the app clients whose tokens `http-api` accepts (required there).",
    }),
  },
  { description: "The front that receives `POST /records` and how callers authenticate." },
);
