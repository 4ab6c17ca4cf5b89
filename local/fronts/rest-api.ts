/**
 * The API front as API Gateway's REST API runs it (components/fronts/rest-api.ts): stage `v1` with the
 * resources `/records` (POST, Lambda proxy with a payload 1.0 event) and `/health` (GET, a MOCK integration:
 * no Lambda call), the stack's `api.auth` on `POST /records` — a TOKEN authorizer (identity source
 * `method.request.header.Authorization`) whose IAM policy is cached per token for `authorizerCacheSeconds`
 * and evaluated against each call's method ARN, or SigV4 (sigv4.ts) — then the usage plan's API key
 * (`x-api-key`, required on `POST /records`; checked after the authorizer, as API Gateway does), and every
 * answer the gateway gives itself sent through the gateway responses the program deploys
 * (handlers/lib/front-answers.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "../http-util";
import { randomUUID } from "node:crypto";
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import type { ApiAuth } from "../../config/types";
import { HEALTH_BODY, gatewayResponseTemplate, restGatewayResponses } from "../../handlers/lib/front-answers";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../emulators";
import type { LocalFunction } from "../functions";
import { verifyIdToken } from "./cognito-pool";
import { DecisionCache } from "./decision-cache";
import { clfTime, routeOf, sourceIp, writeIntegrationResult, type LocalFront } from "./front";
import type { LocalJwtIssuer } from "./jwt-issuer";
import { SIGV4_MESSAGES, verifySigV4, type SigV4Identity } from "./sigv4";
import { RequestThrottle, THROTTLE_MESSAGES, UsagePlan, type ThrottleRefusal, type ThrottleSettings } from "./throttle";

/** Options of {@link RestApiFront}. */
export interface RestApiFrontOptions {
  readonly ingest: LocalFunction;
  readonly auth: ApiAuth;
  /** The TOKEN authorizer (auth `token`). */
  readonly authorizer?: LocalFunction;
  /** The local user pool (auth `cognito`): its ID tokens pass the COGNITO_USER_POOLS authorizer. */
  readonly cognito?: LocalJwtIssuer;
  readonly authorizerCacheSeconds: number;
  /** The stage's method throttling and the usage plan's throttling and daily quota (0: none). */
  readonly throttle: ThrottleSettings & { readonly dailyQuota: number };
}

/** The usage plan key the local REST API accepts (the deployed one is the stack's `apiKey` output). */
export const LOCAL_API_KEY = "local-api-key-0123456789abcdef";

const API_ID = "local";
const STAGE = "v1";

/** A gateway answer: its response type, the status it has when the type is not customised, and the message. */
interface GatewayAnswer {
  readonly type: string;
  readonly status: number;
  readonly message: string | null;
}

const answer = (type: string, status: number, message: string | null): GatewayAnswer => ({ type, status, message });
const MISSING_TOKEN = answer("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token");
const UNAUTHORIZED = answer("UNAUTHORIZED", 401, "Unauthorized");
const AUTHORIZER_ERROR = answer("AUTHORIZER_CONFIGURATION_ERROR", 500, null);

export class RestApiFront implements LocalFront {
  private readonly policies = new DecisionCache<APIGatewayAuthorizerResult>();
  private readonly responses;
  private readonly stageThrottle: RequestThrottle;
  private readonly usagePlan: UsagePlan;

  constructor(private readonly options: RestApiFrontOptions) {
    this.responses = restGatewayResponses(options.auth);
    this.stageThrottle = new RequestThrottle(options.throttle);
    this.usagePlan = new UsagePlan(options.throttle);
  }

  /** Serves one request whose body has been read. */
  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const method = req.method ?? "GET";
    const route = routeOf(method, url.pathname);
    // A REST API answers a path or method it does not have as if the request were unsigned.
    if (!route) return this.gatewayAnswer(res, MISSING_TOKEN);
    // The stage's method throttling (`*/*`) covers every method, the MOCK `/health` included.
    const throttled = this.stageThrottle.admit();
    if (throttled) return this.gatewayAnswer(res, refusalAnswer(throttled));
    if (url.pathname === "/health") return sendText(res, 200, HEALTH_BODY);
    const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${API_ID}/${STAGE}/${method}${url.pathname}`;
    let authorizer: Record<string, unknown> | null = null;
    let identity: SigV4Identity | undefined;
    if (this.options.auth === "token") {
      const outcome = await this.authorize(req.headers.authorization, methodArn);
      if (!("context" in outcome)) return this.gatewayAnswer(res, outcome);
      authorizer = outcome.context;
    } else if (this.options.auth === "cognito") {
      // A missing or refused token is the UNAUTHORIZED gateway response; the claims reach the function as strings.
      const check = req.headers.authorization ? await verifyIdToken(this.options.cognito!, req.headers.authorization) : undefined;
      if (!check?.ok) return this.gatewayAnswer(res, UNAUTHORIZED);
      authorizer = { claims: claimStrings(check.claims) };
    } else if (this.options.auth === "iam") {
      const check = await verifySigV4(req, body, "execute-api");
      if (!check.ok)
        return this.gatewayAnswer(
          res,
          check.reason === "missing" ? MISSING_TOKEN : answer("INVALID_SIGNATURE", 403, SIGV4_MESSAGES[check.reason]),
        );
      identity = check.identity;
    }
    if (req.headers["x-api-key"] !== LOCAL_API_KEY) return this.gatewayAnswer(res, answer("INVALID_API_KEY", 403, "Forbidden"));
    // The key's usage plan: its own throttle, then its daily quota.
    const refused = this.usagePlan.admit();
    if (refused) return this.gatewayAnswer(res, refusalAnswer(refused));
    const event = this.event(req, url, body, authorizer, identity);
    const outcome = await this.options.ingest.invoke(event, event.requestContext.requestId);
    // A failed function or a result that is not a proxy response: API Gateway's 502.
    const badGateway = () => this.gatewayAnswer(res, answer("DEFAULT_5XX", 502, "Internal server error"));
    if (outcome.functionError) return badGateway();
    writeIntegrationResult(res, outcome.payload, badGateway);
  }

  /** The authorizer's context (principal included), or the gateway's answer. */
  private async authorize(header: string | undefined, methodArn: string): Promise<{ context: Record<string, unknown> } | GatewayAnswer> {
    if (!header) return UNAUTHORIZED;
    let result = this.policies.get(header)?.value;
    if (!result) {
      const event: APIGatewayTokenAuthorizerEvent = { type: "TOKEN", authorizationToken: header, methodArn };
      const outcome = await this.options.authorizer!.invoke(event).catch(() => undefined);
      if (!outcome) return AUTHORIZER_ERROR;
      // The authorizer throws Error("Unauthorized") to make API Gateway answer 401 (not cached).
      if (outcome.functionError)
        return (outcome.payload as { errorMessage?: string }).errorMessage === "Unauthorized" ? UNAUTHORIZED : AUTHORIZER_ERROR;
      result = outcome.payload as APIGatewayAuthorizerResult;
      if (typeof result?.principalId !== "string" || !Array.isArray(result.policyDocument?.Statement)) return AUTHORIZER_ERROR;
      this.policies.set(header, result, this.options.authorizerCacheSeconds * 1000);
    }
    const effect = policyEffect(result, methodArn);
    if (effect === "Deny") return answer("ACCESS_DENIED", 403, "User is not authorized to access this resource with an explicit deny");
    if (effect !== "Allow") return answer("ACCESS_DENIED", 403, "User is not authorized to access this resource");
    return { context: { principalId: result.principalId, ...result.context } };
  }

  /** Sends a gateway answer through the deployed gateway response of its type. */
  private gatewayAnswer(res: ServerResponse, gateway: GatewayAnswer): void {
    const spec = this.responses[gateway.type];
    if (!spec) return sendText(res, gateway.status, JSON.stringify({ message: gateway.message }));
    const body = gatewayResponseTemplate(spec.code).replace("$context.error.messageString", JSON.stringify(gateway.message));
    sendText(res, spec.statusCode ?? gateway.status, body);
  }

  /** The payload 1.0 event: header names as sent, no binary media types (the body always arrives as text). */
  private event(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    authorizer: Record<string, unknown> | null,
    identity: SigV4Identity | undefined,
  ): APIGatewayProxyEvent {
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const [name, value] = [req.rawHeaders[i]!, req.rawHeaders[i + 1]!];
      headers[name] = value;
      (multiValueHeaders[name] ??= []).push(value);
    }
    const query = url.search ? Object.fromEntries(url.searchParams) : null;
    const multiQuery: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (multiQuery[name] ??= []).push(value);
    const now = new Date();
    const host = req.headers.host ?? "127.0.0.1";
    return {
      resource: url.pathname,
      path: url.pathname,
      httpMethod: req.method ?? "POST",
      headers,
      multiValueHeaders,
      queryStringParameters: query,
      multiValueQueryStringParameters: query ? multiQuery : null,
      pathParameters: null,
      stageVariables: null,
      requestContext: {
        accountId: LOCAL_ACCOUNT,
        apiId: API_ID,
        authorizer,
        domainName: host,
        domainPrefix: host.split(".")[0]!,
        extendedRequestId: randomUUID(),
        httpMethod: req.method ?? "POST",
        identity: {
          accessKey: identity?.accessKey ?? null,
          accountId: identity?.accountId ?? null,
          apiKey: null,
          apiKeyId: null,
          caller: identity?.accessKey ?? null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: sourceIp(req),
          user: identity?.accessKey ?? null,
          userAgent: req.headers["user-agent"] ?? null,
          userArn: identity?.userArn ?? null,
        },
        path: `/${STAGE}${url.pathname}`,
        protocol: `HTTP/${req.httpVersion}`,
        requestId: randomUUID(),
        requestTime: clfTime(now),
        requestTimeEpoch: now.getTime(),
        resourceId: "local",
        resourcePath: url.pathname,
        stage: STAGE,
      },
      body: body.length === 0 ? null : body.toString("utf8"),
      isBase64Encoded: false,
    };
  }
}

/** The authorizer's claims as the REST event gives them: a map of strings (a list joined with commas). */
function claimStrings(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
}

/** The gateway answer of a throttle's refusal. */
function refusalAnswer(refusal: ThrottleRefusal): GatewayAnswer {
  return answer(refusal, 429, THROTTLE_MESSAGES[refusal]);
}

/** The effect the policy's statements give `methodArn`: an explicit Deny wins over an Allow; none matching is no access. */
function policyEffect(result: APIGatewayAuthorizerResult, methodArn: string): "Allow" | "Deny" | undefined {
  let effect: "Allow" | undefined;
  for (const statement of result.policyDocument.Statement as Array<{ Effect?: string; Action?: unknown; Resource?: unknown }>) {
    const actions = ([] as unknown[]).concat(statement.Action ?? []);
    const resources = ([] as unknown[]).concat(statement.Resource ?? []);
    const covers =
      actions.some((a) => typeof a === "string" && arnMatches(a, "execute-api:Invoke")) &&
      resources.some((r) => typeof r === "string" && arnMatches(r, methodArn));
    if (covers && statement.Effect === "Deny") return "Deny";
    if (covers && statement.Effect === "Allow") effect = "Allow";
  }
  return effect;
}

/** IAM wildcard match: `*` any run of characters, `?` one. */
function arnMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(value);
}
