/**
 * The kinesis-ingest policy pack's policies, without `new PolicyPack` (its constructor starts a gRPC
 * server): tests and the offline plan call each policy's `validateResource` / `validateStack` directly.
 */
import type { Policies } from "@pulumi/policy";
import { functionActiveTracing, functionLogGroupRetention } from "./functions";
import { iamLeastPrivilege } from "./iam";
import { mappingFailureHandling } from "./mapping";
import { streamEncrypted } from "./stream";

export { functionActiveTracing, functionLogGroupRetention, iamLeastPrivilege, mappingFailureHandling, streamEncrypted };

/** Every policy of the pack, all mandatory. */
export const policies: Policies = [
  streamEncrypted,
  mappingFailureHandling,
  iamLeastPrivilege,
  functionActiveTracing,
  functionLogGroupRetention,
];
