/**
 * The ingest function's AppSync branch: `Mutation.putRecords` through a direct Lambda resolver. Its
 * `arguments.records` go through the same validation as a `POST /records` body (ingest-request.ts: sizes,
 * counts, fields, keys, base64), nothing is written unless all of it passes, and the answer is the same
 * `{failedRecordCount, records}`. A refused request is answered `{"error":{…}}`, which the resolver's response
 * template raises as a GraphQL error (appsync-schema.ts says why it is not thrown).
 */
import { RequestError } from "./errors";
import { parseIngestBody, type IngestRecord } from "./ingest-request";
import type { Logger } from "./log";
import { PUT_RECORDS_FIELD } from "./appsync-schema";
import type { RecordResult } from "./put-records";

/** The parts of AppSync's direct Lambda resolver event the handler reads ("AWS AppSync resolver context object reference"). */
export interface AppSyncResolverEvent {
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly info: { readonly fieldName: string; readonly parentTypeName: string };
  /** The caller per auth mode: null for API keys, IAM's user, Cognito's or OIDC's claims, a Lambda authorizer's resolverContext. */
  readonly identity: unknown;
  readonly request?: { readonly headers?: Readonly<Record<string, string>> };
}

/** What `putRecords` resolves to: the `POST /records` answer body, or the contract's error for the response template. */
export type AppSyncAnswer =
  | { readonly failedRecordCount: number; readonly records: readonly RecordResult[] }
  | { readonly error: ReturnType<RequestError["toBody"]>["error"] };

/** What the AppSync branch needs from the ingest handler. */
export interface AppSyncIngestDeps {
  /** The write of `POST /records`: its answer body is `{failedRecordCount, records}`. */
  readonly store: (records: IngestRecord[]) => Promise<{ readonly body: unknown }>;
  readonly log: Logger;
  /** The stream's record limit, bytes. */
  readonly maxRecordBytes?: number;
}

/** True for an AppSync resolver event: it carries `arguments` and `info.fieldName`; HTTP and WebSocket events do not. */
export function isAppSyncEvent(event: unknown): event is AppSyncResolverEvent {
  if (typeof event !== "object" || event === null) return false;
  const { arguments: args, info } = event as { arguments?: unknown; info?: { fieldName?: unknown } };
  return typeof args === "object" && args !== null && typeof info?.fieldName === "string";
}

/** Serves one resolver event. @throws Error for a field the function does not resolve (a misconfigured resolver). */
export async function serveAppSync(event: AppSyncResolverEvent, deps: AppSyncIngestDeps): Promise<AppSyncAnswer> {
  const { fieldName, parentTypeName } = event.info;
  if (fieldName !== PUT_RECORDS_FIELD || parentTypeName !== "Mutation")
    throw new Error(`The ingest function resolves Mutation.${PUT_RECORDS_FIELD} only, got ${parentTypeName}.${fieldName}.`);
  try {
    const records = parseIngestBody(requestBody(event.arguments), undefined, deps.maxRecordBytes);
    return (await deps.store(records)).body as AppSyncAnswer;
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    deps.log.info("request refused", { code: error.code, problems: error.details?.length ?? 0 });
    return { error: error.toBody().error };
  }
}

/**
 * The arguments as a `POST /records` body, so the one parser checks them. A GraphQL `null` for an optional input
 * field means "not given": it is left out. `data` arrives parsed (AWSJSON) and is stored as its JSON text.
 */
function requestBody(args: Readonly<Record<string, unknown>>): string {
  const records = Array.isArray(args.records)
    ? args.records.map((record: unknown) =>
        typeof record === "object" && record !== null
          ? Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null))
          : record,
      )
    : args.records;
  return JSON.stringify({ records });
}
