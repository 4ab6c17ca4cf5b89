/**
 * What every function's environment contract is made of (docs/architecture.md "Adding a function kind"): the
 * names of its variables; one writer, from typed settings to variables, generic over the value so the program
 * passes Pulumi Inputs and the local stack plain strings; one reader, from `process.env` back to the settings,
 * whose errors name the variable and what it must hold. The program, the local stack and the handler import
 * the same module, and the 4 KB budget counts the writer's own output.
 */

/** What a reader reads: `process.env`, or a record the local stack or a test builds. */
export type EnvironmentSource = Readonly<Record<string, string | undefined>>;

/** Variables as a writer returns them: `V` is `string` locally, `pulumi.Input<string>` in the program. */
export type Variables<V = string> = Record<string, V | string>;

/** A variable that must be set, or an error naming it and what it must name. */
export function requiredVariable(env: EnvironmentSource, name: string, what: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; it must name ${what}.`);
  return value;
}

/** Bytes of `variables` as Lambda counts them against its 4 KB: names and values. */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Object.entries(variables).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
}

/** A stand-in as long as the longest value a variable can hold: what the budget counts for a value known only at deploy. */
export function longest(length: number): string {
  return "x".repeat(length);
}

/**
 * The longest ARN of `service` whose resource part has `resourceLength` characters: the longest partition
 * (`aws-us-gov`), a Region name of up to 20 characters (the longest today have 15) and a 12-digit account.
 */
export function longestArn(service: string, resourceLength: number): string {
  return `arn:${longest("aws-us-gov".length)}:${service}:${longest(20)}:${longest(12)}:${longest(resourceLength)}`;
}

/**
 * The longest URL of an SQS queue: `https://sqs.<region>.amazonaws.com.cn/<account>/<name>` with a Region name
 * of up to 20 characters and the longest queue name SQS allows.
 */
export function longestQueueUrl(queueNameLength: number): string {
  return `https://sqs.${longest(20)}.amazonaws.com.cn/${longest(12)}/${longest(queueNameLength)}`;
}
