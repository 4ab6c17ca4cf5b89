/** Raised when a stack's configuration breaks one or more rules; lists every problem at once. */
export class ConfigValidationError extends Error {
  override readonly name = "ConfigValidationError";

  constructor(
    /** One whole sentence per broken rule, each naming the key path, the value received and what is allowed. */
    readonly problems: readonly string[],
    source = "the stack configuration",
  ) {
    super(`${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}
