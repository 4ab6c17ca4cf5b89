/**
 * The ingestion front: the ingest function (validates a request, writes it to the stream) behind the
 * stack's front and auth mode. What each front supports:
 *
 * | front    | none | token                                   | iam     | jwt                  | cognito                     |
 * |----------|------|-----------------------------------------|---------|----------------------|-----------------------------|
 * | http-api | yes  | Lambda REQUEST authorizer, simple resp. | AWS_IAM | JWT authorizer       | JWT authorizer on the pool  |
 * | rest-api | yes  | Lambda TOKEN authorizer                 | AWS_IAM | no (not native)      | COGNITO_USER_POOLS          |
 * | alb      | yes  | checked inside the ingest handler       | no      | no                   | no                          |
 * | websocket| yes  | Lambda REQUEST authorizer on $connect   | AWS_IAM | the same authorizer, checking JWTs (no JWT type) | the same, on the pool |
 * | appsync  | API key | AWS_LAMBDA authorizer               | AWS_IAM | OPENID_CONNECT       | AMAZON_COGNITO_USER_POOLS   |
 */
import * as pulumi from "@pulumi/pulumi";
import { AUTHORIZER_FUNCTION, INGEST_FUNCTION } from "../config/defaults";
import { ingestChecksTokens } from "../config/api-settings";
import { ingestBudget } from "../config/ingest-budget";
import { audiencesValue, authorizerEnvironment } from "../handlers/lib/environment/authorizer";
import { ingestEnvironment } from "../handlers/lib/environment/ingest";
import type { ApiNames } from "../config/names";
import type { ApiConfig, LifecycleConfig } from "../config/types";
import type { ConfigSecret } from "./config-secret";
import { createAlbFront } from "./fronts/alb";
import { createAppSyncApi } from "./fronts/appsync-api";
import { cognitoPool, type CognitoPool } from "./fronts/cognito";
import { createHttpApi } from "./fronts/http-api";
import { createRestApi } from "./fronts/rest-api";
import { createWebSocketApi } from "./fronts/websocket-api";
import type { FrontResult } from "./fronts/types";
import { allow } from "./iam";
import { NodeFunction } from "./node-function";

/** The validated `api` settings (the validator refused auth modes a front cannot serve), and what to wire. */
export interface IngestApiArgs extends ApiConfig {
  /** Physical names of the API and its functions. */
  readonly names: ApiNames;
  /** The stream records are written to. */
  readonly streamName: pulumi.Input<string>;
  readonly streamArn: pulumi.Input<string>;
  /** Handler entry of the ingest function. */
  readonly ingestEntry: string;
  /** Handler entry of the authorizer (`token` on API Gateway fronts; `jwt` and `cognito` on websocket). */
  readonly authorizerEntry: string;
  /** The secret holding `{"tokenHashes": [...]}`; required when `auth` is `token`. @default undefined */
  readonly tokenSecret?: ConfigSecret;
  /** Log retention (days) of the functions and access logs. */
  readonly logRetentionDays: number;
  /** The stack's lifecycle settings: the user pool `auth` cognito creates is data-bearing. */
  readonly lifecycle: LifecycleConfig;
  /** `observability.contributorInsights`: the ingest function writes the lines its rules count. @default false */
  readonly logPartitionKeys?: boolean;
  /** `stream.maxRecordSizeKiB`: the ingest function refuses larger records. */
  readonly maxRecordSizeKiB: number;
  /** The program's clock (the AppSync API key's expiry). @default Date.now */
  readonly now?: () => number;
}

export class IngestApi extends pulumi.ComponentResource {
  public readonly ingest: NodeFunction;
  public readonly authorizer?: NodeFunction;
  /** Base URL: `POST ${url}/records`, `GET ${url}/health`. */
  public readonly url: pulumi.Output<string>;
  /** The REST API's usage plan key, or the AppSync API key (`none`), secret; undefined on other fronts. */
  public readonly apiKey?: pulumi.Output<string>;

  constructor(name: string, args: IngestApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:api:IngestApi", name, {}, opts);
    const { front, auth, logRetentionDays, names } = args;
    if (auth === "token" && !args.tokenSecret) throw new Error("`api.auth` token needs the token secret (IngestApiArgs.tokenSecret)");
    const tokenInHandler = ingestChecksTokens(args);
    const budget = ingestBudget(front);

    this.ingest = new NodeFunction(
      `${name}-ingest`,
      {
        entry: args.ingestEntry,
        functionName: names.ingestFunction,
        description: "POST /records: validates and writes records to the stream",
        environment: ingestEnvironment({
          streamName: args.streamName,
          deadlineMs: budget.deadlineMs,
          maxRecordSizeKiB: args.maxRecordSizeKiB,
          logPartitionKeys: args.logPartitionKeys,
          tokenSecretId: tokenInHandler ? args.tokenSecret?.arn : undefined,
        }),
        memoryMb: INGEST_FUNCTION.memoryMb,
        timeoutSeconds: budget.timeoutSeconds,
        logRetentionDays,
        statements: [
          allow("WriteStream", ["kinesis:PutRecords"], [args.streamArn]),
          ...(tokenInHandler && args.tokenSecret ? [args.tokenSecret.readStatement("ApiTokens")] : []),
        ],
        kmsKeyArn: args.kmsKeyArn,
      },
      { parent: this },
    );

    const cognito = auth === "cognito" ? cognitoPool({ ...args, parent: this, name }) : undefined;
    const authorizerEnvironment = this.authorizerEnvironment(args, tokenInHandler, cognito);
    if (authorizerEnvironment) {
      this.authorizer = new NodeFunction(
        `${name}-authorizer`,
        {
          entry: args.authorizerEntry,
          functionName: names.authorizerFunction,
          description: `${auth === "token" ? "Bearer token" : "JWT"} authorizer of the ${front}`,
          environment: authorizerEnvironment,
          memoryMb: AUTHORIZER_FUNCTION.memoryMb,
          timeoutSeconds: AUTHORIZER_FUNCTION.timeoutSeconds,
          logRetentionDays,
          statements: auth === "token" && args.tokenSecret ? [args.tokenSecret.readStatement("ApiTokens")] : [],
          kmsKeyArn: args.kmsKeyArn,
        },
        { parent: this },
      );
    }

    const context = {
      parent: this,
      name,
      names,
      auth,
      ingest: this.ingest,
      authorizer: this.authorizer,
      rateLimit: args.rateLimit,
      burstLimit: args.burstLimit,
      dailyQuota: args.dailyQuota,
      authorizerCacheSeconds: args.authorizerCacheSeconds,
      jwtIssuer: args.jwtIssuer,
      jwtAudience: args.jwtAudience,
      cognito,
      logRetentionDays,
      accessLogs: args.accessLogs,
      createApiGatewayAccountRole: args.createApiGatewayAccountRole,
      certificateArn: args.certificateArn,
      subnetIds: args.subnetIds,
      vpcId: args.vpcId,
      now: args.now,
    };
    const result: FrontResult =
      front === "http-api"
        ? createHttpApi(context)
        : front === "rest-api"
          ? createRestApi(context)
          : front === "websocket"
            ? createWebSocketApi(context)
            : front === "appsync"
              ? createAppSyncApi(context)
              : createAlbFront(context);
    this.url = result.url;
    this.apiKey = result.apiKey;
    this.registerOutputs({ url: this.url, apiKey: this.apiKey });
  }

  /**
   * The authorizer function's environment, or undefined when the front needs none: the token secret for
   * `token` on an API Gateway front; the issuer and audiences for `jwt` and `cognito` on websocket, whose API
   * has no JWT authorizer type (the other fronts check JWTs natively).
   */
  private authorizerEnvironment(
    args: IngestApiArgs,
    tokenInHandler: boolean,
    cognito: CognitoPool | undefined,
  ): Record<string, pulumi.Input<string>> | undefined {
    if (args.auth === "token")
      return tokenInHandler || !args.tokenSecret ? undefined : authorizerEnvironment({ tokenSecretId: args.tokenSecret.arn });
    if (args.front !== "websocket") return undefined;
    if (args.auth === "jwt" && args.jwtIssuer !== undefined)
      return authorizerEnvironment({ jwt: { issuer: args.jwtIssuer, audiences: audiencesValue(args.jwtAudience) } });
    if (cognito)
      return authorizerEnvironment({
        jwt: { issuer: cognito.issuer, audiences: pulumi.output(cognito.clientIds).apply(audiencesValue) },
      });
    return undefined;
  }
}
