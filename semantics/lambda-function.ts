/**
 * What Lambda takes for a function's timeout and memory, its layers and its environment's key (docs/aws-semantics.md#lambda-layers-and-environment-keys):
 * at most 5 layers, each named by a layer *version* ARN (CreateFunction's `Layers`); a customer managed key
 * named by its key ARN, since Lambda creates a KMS grant on it and CreateGrant takes a key id or key ARN only.
 */

/** A function's timeout, in seconds (Lambda quotas: "Function timeout", 900 seconds). */
export const FUNCTION_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;

/** A function's memory, in MB (Lambda quotas: "Function memory allocation", 128 MB to 10,240 MB). */
export const FUNCTION_MEMORY_MB = { min: 128, max: 10_240 } as const;

/** Layers one function may use (Lambda quotas: "Function layers", 5). */
export const MAX_FUNCTION_LAYERS = 5;

/** A layer version ARN's most characters (CreateFunction `Layers` items: 1–140). */
export const LAYER_VERSION_ARN_MAX_LENGTH = 140;

/**
 * A layer version ARN: `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`, Lambda's own
 * pattern for CreateFunction's `Layers` items. Groups: region, account, name, version.
 */
export const LAYER_VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)$/;

/**
 * A KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<key id>`, the key id a UUID or a multi-Region
 * key's `mrk-` and 32 hex digits. An alias ARN (`…:alias/<name>`) matches Lambda's loose `KMSKeyArn` pattern but
 * fails at deploy time: Lambda grants itself the key with CreateGrant, whose `KeyId` is a key id or key ARN.
 */
export const KMS_KEY_ARN =
  /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
