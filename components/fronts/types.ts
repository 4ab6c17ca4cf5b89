/** What every API front receives from `IngestApi` and what it gives back. */
import type * as pulumi from "@pulumi/pulumi";
import type { ApiNames } from "../../config/names";
import type { ApiAuth } from "../../config/types";
import type { NodeFunction } from "../node-function";
import type { CognitoPool } from "./cognito";

export interface FrontContext {
  /** The `IngestApi` component: parent of every resource a front creates. */
  readonly parent: pulumi.Resource;
  /** The component's name: children are named `${name}-...`. */
  readonly name: string;
  /** Physical names of the API and what it creates. */
  readonly names: ApiNames;
  readonly auth: ApiAuth;
  /** The function behind `POST /records`. */
  readonly ingest: NodeFunction;
  /** The token authorizer, present when `auth` is `token` on an API Gateway front. */
  readonly authorizer?: NodeFunction;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly dailyQuota: number;
  readonly authorizerCacheSeconds: number;
  readonly jwtIssuer?: string;
  readonly jwtAudience: readonly string[];
  /** The user pool, present when `auth` is `cognito`. */
  readonly cognito?: CognitoPool;
  readonly logRetentionDays: number;
  /** API Gateway stage access logs (API Gateway fronts). */
  readonly accessLogs: boolean;
  /** The REST front creates the account's API Gateway CloudWatch role. */
  readonly createApiGatewayAccountRole: boolean;
  /** The ALB's HTTPS certificate (ACM ARN); plain HTTP when undefined. */
  readonly certificateArn?: string;
  /** The ALB's subnets and VPC; the default VPC when undefined. */
  readonly subnetIds?: readonly string[];
  readonly vpcId?: string;
  /** The program's clock: the AppSync API key's expiry is counted from it. @default Date.now */
  readonly now?: () => number;
}

export interface FrontResult {
  /** Base URL: `POST ${url}/records`. */
  readonly url: pulumi.Output<string>;
  /** The REST API usage plan's key (secret), which callers send as `x-api-key`. */
  readonly apiKey?: pulumi.Output<string>;
}
