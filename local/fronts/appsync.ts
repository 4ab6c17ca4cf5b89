/**
 * The appsync front as AppSync runs it, on the local server's port at AppSync's path `POST /graphql`: the
 * stack's auth first (appsync-auth.ts: HTTP 401 `UnauthorizedException` when refused), then the request executed
 * with graphql-js against the deployed schema (handlers/lib/appsync-schema.ts, with AppSync's `AWSJSON` scalar):
 * `Query.health` answered here (the NONE data source), `Mutation.putRecords` by invoking the ingest function with
 * AppSync's direct Lambda resolver event and applying the resolver's response template (an `{"error"}` answer
 * becomes a GraphQL error with the contract's code as `errorType`, a failed invocation `Lambda:Unhandled`).
 * Errors are written in AppSync's shape (`errorType`, `errorInfo`, `data`, `path`, `locations`).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildSchema, execute, GraphQLError, GraphQLScalarType, Kind, parse, validate, type GraphQLSchema, type ValueNode } from "graphql";
import { GRAPHQL_PATH, HEALTH_VALUE, INGEST_SCHEMA, PUT_RECORDS_FIELD } from "../../handlers/lib/appsync-schema";
import { APPSYNC_UNAUTHORIZED } from "../../semantics/appsync";
import type { LocalFunction } from "../functions";
import { sendJson } from "../http-util";
import { AppSyncAuth, type AppSyncAuthOptions } from "./appsync-auth";
import { headersOf, type LocalFront } from "./front";

/** Options of {@link AppSyncFront}. */
export interface AppSyncFrontOptions extends AppSyncAuthOptions {
  readonly ingest: LocalFunction;
}

/** A resolver's error as AppSync reports it: `errorType` and `errorInfo` beside the message. */
class ResolverError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

/** One GraphQL request body: `{query, variables?, operationName?}`. */
interface GraphQLRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly operationName?: string;
}

export class AppSyncFront implements LocalFront {
  private readonly schema = ingestSchema();
  private readonly auth: AppSyncAuth;

  constructor(private readonly options: AppSyncFrontOptions) {
    this.auth = new AppSyncAuth(options);
  }

  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    if (path !== GRAPHQL_PATH || req.method !== "POST")
      return sendErrors(res, 404, [{ errorType: "NotFound", message: `Use POST ${GRAPHQL_PATH}.` }]);
    const request = parseRequest(body);
    const outcome = await this.auth.check(req, body, request ?? { query: "", variables: {} });
    if ("refused" in outcome) return sendErrors(res, 401, [{ errorType: APPSYNC_UNAUTHORIZED, message: outcome.refused }]);
    if (!request) return sendErrors(res, 400, [{ errorType: "MalformedHttpRequestException", message: "Unable to parse GraphQL query." }]);
    let document;
    try {
      document = parse(request.query);
    } catch (error) {
      return sendErrors(res, 400, [appSyncError(error as GraphQLError)]);
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) return sendErrors(res, 400, invalid.map(appSyncError));
    const rootValue = {
      health: () => HEALTH_VALUE,
      [PUT_RECORDS_FIELD]: (args: Record<string, unknown>) => this.putRecords(args, req, request, outcome.identity),
    };
    const result = await execute({
      schema: this.schema,
      document,
      rootValue,
      variableValues: request.variables,
      operationName: request.operationName,
    });
    sendJson(res, 200, { data: result.data ?? null, ...(result.errors ? { errors: result.errors.map(appSyncError) } : {}) });
  }

  /** The direct Lambda resolver event, the invocation, and the response template's error mapping. */
  private async putRecords(
    args: Record<string, unknown>,
    req: IncomingMessage,
    request: GraphQLRequest,
    identity: unknown,
  ): Promise<unknown> {
    const event = {
      arguments: args,
      identity,
      source: null,
      request: { headers: headersOf(req), domainName: null },
      prev: null,
      info: {
        fieldName: PUT_RECORDS_FIELD,
        parentTypeName: "Mutation",
        variables: request.variables,
        selectionSetList: [],
        selectionSetGraphQL: "",
      },
      stash: {},
    };
    // As serialized to Lambda: plain JSON, whatever objects graphql-js built the arguments from.
    const outcome = await this.options.ingest.invoke(JSON.parse(JSON.stringify(event)), randomUUID());
    const payload = outcome.payload as { error?: { code: string; message: string }; errorMessage?: string } | null;
    if (outcome.functionError) throw new ResolverError(payload?.errorMessage ?? "Lambda invocation failed", "Lambda:Unhandled");
    if (payload?.error) throw new ResolverError(payload.error.message, payload.error.code, payload.error);
    return payload;
  }
}

/** The schema with AppSync's `AWSJSON`: JSON text in, its parsed value to the resolver; invalid JSON is a validation error. */
function ingestSchema(): GraphQLSchema {
  const schema = buildSchema(`scalar AWSJSON\n${INGEST_SCHEMA}`);
  const awsJson = schema.getType("AWSJSON") as GraphQLScalarType;
  const parseJson = (text: unknown): unknown => {
    if (typeof text !== "string") throw new TypeError("AWSJSON must be a string of JSON text.");
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new TypeError("AWSJSON must be valid JSON text.");
    }
  };
  awsJson.parseValue = parseJson;
  awsJson.parseLiteral = (node: ValueNode) => parseJson(node.kind === Kind.STRING ? node.value : undefined);
  awsJson.serialize = (value: unknown) => JSON.stringify(value);
  return schema;
}

/** The body as a GraphQL request, or undefined when it is not one. */
function parseRequest(body: Buffer): GraphQLRequest | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof parsed?.query !== "string") return undefined;
    const variables =
      typeof parsed.variables === "object" && parsed.variables !== null ? (parsed.variables as Record<string, unknown>) : {};
    return { query: parsed.query, variables, ...(typeof parsed.operationName === "string" ? { operationName: parsed.operationName } : {}) };
  } catch {
    return undefined;
  }
}

/** A graphql-js error in AppSync's shape. */
function appSyncError(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError;
  return {
    path: error.path ?? null,
    data: null,
    errorType: original instanceof ResolverError ? original.errorType : error.path ? "Unknown" : "ValidationError",
    errorInfo: original instanceof ResolverError ? original.errorInfo : null,
    locations: (error.locations ?? []).map((l) => ({ ...l, sourceName: null })),
    message: error.message,
  };
}

function sendErrors(res: ServerResponse, status: number, errors: readonly Record<string, unknown>[]): void {
  sendJson(res, status, { errors });
}
