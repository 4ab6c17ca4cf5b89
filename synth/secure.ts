/**
 * Values a stack file holds encrypted (`{secure: "v1:..."}`, written by `pulumi config set --secret`).
 * Only the Pulumi CLI, with the stack's secrets provider, can decrypt them; the offline plan treats them as
 * unset and says which ones it left out.
 */

/** The raw config with every encrypted value removed, and the key paths that were removed. */
export interface WithoutSecure {
  readonly raw: Record<string, unknown>;
  readonly removed: string[];
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>).secure === "string"
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Removes encrypted values at any depth (`consumerSecrets.forwarder.authorization`); an object left empty
 * by the removal is removed too, so "set only as secrets" reads as "not set".
 * @example withoutSecureValues({ apiTokens: { secure: "v1:..." } }) // { raw: {}, removed: ["apiTokens"] }
 */
export function withoutSecureValues(raw: Readonly<Record<string, unknown>>): WithoutSecure {
  const removed: string[] = [];
  const strip = (value: Record<string, unknown>, prefix: string): Record<string, unknown> => {
    const kept: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const keyPath = prefix === "" ? key : `${prefix}.${key}`;
      if (isSecure(child)) {
        removed.push(keyPath);
      } else if (isPlainObject(child)) {
        const inner = strip(child, keyPath);
        if (Object.keys(inner).length > 0 || Object.keys(child).length === 0) kept[key] = inner;
      } else {
        kept[key] = child;
      }
    }
    return kept;
  };
  return { raw: strip(raw, ""), removed };
}
