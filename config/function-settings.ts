/**
 * Settings of a function itself rather than of what it reads: a consumer's `layers` and the `kmsKeyArn` that
 * encrypts a function's environment (a consumer's, and `api.kmsKeyArn` for the ingest and authorizer
 * functions). Their Region is checked with the stack's in `region-rules.ts`.
 */
import { KMS_KEY_ARN, LAYER_VERSION_ARN, LAYER_VERSION_ARN_MAX_LENGTH } from "../semantics/lambda-function";
import { checkArnPartition } from "./region-rules";
import { Problems, stringList, type RawObject } from "./rules";
import { FUNCTION_SETTINGS } from "./schema/consumers";

const LAYER_ALLOWED =
  "a layer version ARN, arn:aws:lambda:<region>:<account>:layer:<name>:<version> (a layer ARN without its :<version> is not enough: Lambda attaches one version)";
const KEY_ALLOWED =
  "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id> (not an alias ARN: Lambda grants itself the key with CreateGrant, which takes a key ARN only)";

/** A consumer's `layers` (at most 5 version ARNs, no repeats) and `kmsKeyArn`. */
export function readFunctionSettings(
  p: Problems,
  path: string,
  c: RawObject,
): { layers: string[] | undefined; kmsKeyArn: string | undefined } {
  const { layers: spec } = FUNCTION_SETTINGS;
  const layers = stringList(p, `${path}.layers`, c.layers ?? spec.default, spec.maxItems, (at, v) => layerArn(p, at, v));
  // Lambda refuses two versions of one layer on a function, and the same version twice.
  const layerOf = (arn: string) => arn.slice(0, arn.lastIndexOf(":"));
  const repeated = layers?.find((arn, i) => layers.findIndex((other) => layerOf(other) === layerOf(arn)) !== i);
  if (repeated !== undefined)
    p.say(`\`${path}.layers\` names layer ${layerOf(repeated)} more than once; a function takes one version of each layer`);
  return { layers: repeated === undefined ? layers : undefined, kmsKeyArn: readKmsKeyArn(p, `${path}.kmsKeyArn`, c.kmsKeyArn) };
}

function layerArn(p: Problems, at: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > LAYER_VERSION_ARN_MAX_LENGTH || !LAYER_VERSION_ARN.test(value))
    return p.add(at, `${LAYER_ALLOWED}, at most ${LAYER_VERSION_ARN_MAX_LENGTH} characters`, value);
  return checkArnPartition(p, at, value) ? value : undefined;
}

/** `kmsKeyArn`: unset (Lambda's own key), or a customer managed key's ARN in the `aws` partition. */
export function readKmsKeyArn(p: Problems, at: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !KMS_KEY_ARN.test(value)) return p.add(at, KEY_ALLOWED, value);
  return checkArnPartition(p, at, value) ? value : undefined;
}
