/**
 * The ingestion front: the ingest function (validates a request, writes it to the stream) behind the
 * stack's front and auth mode. What each front supports:
 *
 * | front    | none | token                                   | iam     | jwt                  |
 * |----------|------|-----------------------------------------|---------|----------------------|
 * | http-api | yes  | Lambda REQUEST authorizer, simple resp. | AWS_IAM | JWT authorizer       |
 * | rest-api | yes  | Lambda TOKEN authorizer                 | AWS_IAM | no (not native)      |
 * | alb      | yes  | checked inside the ingest handler       | no      | no                   |
 */
import * as pulumi from "@pulumi/pulumi";
import type { ApiAuth, ApiFront } from "../config/types";
import type { ConfigSecret } from "./config-secret";
import { API_DEFAULTS } from "./defaults";
import { createAlbFront } from "./fronts/alb";
import { createHttpApi } from "./fronts/http-api";
import { createRestApi } from "./fronts/rest-api";
import type { FrontResult } from "./fronts/types";
import { allow } from "./iam";
import { NodeFunction } from "./node-function";

export interface IngestApiArgs {
  /** Which front receives requests. @default "http-api" */
  readonly front?: ApiFront;
  /** How callers authenticate. @default "token" */
  readonly auth?: ApiAuth;
  /** Physical name prefix of the API and its functions, e.g. `kinesis-ingest-dev`. */
  readonly namePrefix: string;
  /** The stream records are written to. */
  readonly streamName: pulumi.Input<string>;
  readonly streamArn: pulumi.Input<string>;
  /** Handler entry of the ingest function. */
  readonly ingestEntry: string;
  /** Handler entry of the token authorizer (used by `token` on API Gateway fronts). */
  readonly authorizerEntry: string;
  /** The secret holding `{"tokenHashes": [...]}`; required when `auth` is `token`. @default undefined */
  readonly tokenSecret?: ConfigSecret;
  /** Steady requests per second. @default 1000 */
  readonly rateLimit?: number;
  /** Burst above the rate. @default 2000 */
  readonly burstLimit?: number;
  /** REST API daily quota, 0 for none. @default 0 */
  readonly dailyQuota?: number;
  /** Token authorizer cache TTL (s). @default 300 */
  readonly authorizerCacheSeconds?: number;
  /** JWT issuer (auth `jwt`). @default undefined */
  readonly jwtIssuer?: string;
  /** JWT audiences (auth `jwt`). @default [] */
  readonly jwtAudience?: readonly string[];
  /** Log retention (days) of the functions and access logs. @default 14 */
  readonly logRetentionDays?: number;
}

/** Why a front cannot serve an auth mode, or undefined when it can. Pure; mirrors the table above. */
export function unsupportedAuth(front: ApiFront, auth: ApiAuth): string | undefined {
  if (auth === "jwt" && front !== "http-api") return `\`api.auth\` jwt needs \`api.front\` http-api (only HTTP APIs have a native JWT authorizer), got ${front}`;
  if (auth === "iam" && front === "alb") return "`api.auth` iam needs `api.front` http-api or rest-api (an ALB cannot check SigV4 signatures), got alb";
  return undefined;
}

export class IngestApi extends pulumi.ComponentResource {
  public readonly ingest: NodeFunction;
  public readonly authorizer?: NodeFunction;
  /** Base URL: `POST ${url}/records`, `GET ${url}/health`. */
  public readonly url: pulumi.Output<string>;
  /** The REST API's usage plan key (secret); undefined on other fronts. */
  public readonly apiKey?: pulumi.Output<string>;

  constructor(name: string, args: IngestApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:api:IngestApi", name, {}, opts);
    const front = args.front ?? "http-api";
    const auth = args.auth ?? "token";
    const problem = unsupportedAuth(front, auth);
    if (problem) throw new Error(problem);
    if (auth === "token" && !args.tokenSecret) throw new Error("`api.auth` token needs the token secret (IngestApiArgs.tokenSecret)");
    const logRetentionDays = args.logRetentionDays ?? API_DEFAULTS.logRetentionDays;
    // On an ALB nothing sits in front of the function, so the ingest handler checks tokens itself.
    const tokenInHandler = auth === "token" && front === "alb";

    this.ingest = new NodeFunction(`${name}-ingest`, {
      entry: args.ingestEntry,
      functionName: `${args.namePrefix}-ingest`,
      description: "POST /records: validates and writes records to the stream",
      environment: {
        STREAM_NAME: args.streamName,
        ...(tokenInHandler && args.tokenSecret ? { TOKEN_SECRET_ID: args.tokenSecret.arn } : {}),
      },
      logRetentionDays,
      statements: [
        allow("WriteStream", ["kinesis:PutRecords"], [args.streamArn]),
        ...(tokenInHandler && args.tokenSecret ? [args.tokenSecret.readStatement("ApiTokens")] : []),
      ],
    }, { parent: this });

    if (auth === "token" && !tokenInHandler && args.tokenSecret) {
      this.authorizer = new NodeFunction(`${name}-authorizer`, {
        entry: args.authorizerEntry,
        functionName: `${args.namePrefix}-authorizer`,
        description: `Bearer token authorizer of the ${front}`,
        environment: { TOKEN_SECRET_ID: args.tokenSecret.arn },
        memoryMb: 128,
        timeoutSeconds: 10,
        logRetentionDays,
        statements: [args.tokenSecret.readStatement("ApiTokens")],
      }, { parent: this });
    }

    const context = {
      parent: this,
      name,
      apiName: args.namePrefix,
      auth,
      ingest: this.ingest,
      authorizer: this.authorizer,
      rateLimit: args.rateLimit ?? API_DEFAULTS.rateLimit,
      burstLimit: args.burstLimit ?? API_DEFAULTS.burstLimit,
      dailyQuota: args.dailyQuota ?? API_DEFAULTS.dailyQuota,
      authorizerCacheSeconds: args.authorizerCacheSeconds ?? API_DEFAULTS.authorizerCacheSeconds,
      jwtIssuer: args.jwtIssuer,
      jwtAudience: args.jwtAudience ?? [],
      logRetentionDays,
    };
    const result: FrontResult = front === "http-api" ? createHttpApi(context) : front === "rest-api" ? createRestApi(context) : createAlbFront(context);
    this.url = result.url;
    this.apiKey = result.apiKey;
    this.registerOutputs({ url: this.url, apiKey: this.apiKey });
  }
}
