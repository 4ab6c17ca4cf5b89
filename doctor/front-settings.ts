/**
 * The five front keys the checks read straight from the stack file's raw values: `api.accessLogs`,
 * `api.createApiGatewayAccountRole`, `api.certificateArn`, `api.subnetIds`, `api.vpcId`. Their validation
 * (types, ARN shapes, which front allows them) belongs to `config/validate.ts`; this reader only takes a
 * value of the expected type and otherwise keeps the documented default, so a wrong value is reported by
 * the validator, never guessed at here.
 */
import { isObject, type RawObject } from "../config/rules";
import type { FrontSettings } from "./types";

/** The front settings of raw `kinesis-ingest:*` values (keys without the prefix). */
export function frontSettings(raw: RawObject): FrontSettings {
  const api: RawObject = isObject(raw.api) ? raw.api : {};
  const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
  return {
    accessLogs: typeof api.accessLogs === "boolean" ? api.accessLogs : true,
    createApiGatewayAccountRole: api.createApiGatewayAccountRole === true,
    certificateArn: text(api.certificateArn),
    subnetIds: Array.isArray(api.subnetIds) ? api.subnetIds.filter((id): id is string => typeof id === "string") : [],
    vpcId: text(api.vpcId),
  };
}
