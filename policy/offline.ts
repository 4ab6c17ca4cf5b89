/**
 * Runs the policies without the Pulumi engine, against resources recorded under `pulumi.runtime.setMocks`:
 * the offline plan prints the result and the tests expect none. Mirrors what @pulumi/policy's analyzer
 * hands a policy: resource policies see inputs, stack policies see outputs, secrets unwrapped, every
 * property behind the unknown-checking proxy.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  unknownCheckingProxy,
  type Policies,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidationArgs,
} from "@pulumi/policy";

/** One resource as the mocks saw it. */
export interface RecordedResource {
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly urn: string;
  /** The parent's URN; none for resources of the stack itself. */
  readonly parent?: string;
  /** Inputs as registered (secrets may still be wrapped as `{<sig>: <secret sig>, value}`). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Outputs as the mocks returned them. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** One reported violation. */
export interface Violation {
  readonly policy: string;
  /** The logical name of the resource it is reported on (the stack's, when the policy names none). */
  readonly resource: string;
  readonly urn?: string;
  readonly message: string;
}

/** Pulumi's wire signature of a secret value (`sdk/nodejs/runtime/rpc.ts`, `specialSigKey`/`specialSecretSig`). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for a value the mock monitor passes as a secret: `{<sig>: <secret sig>, value}`. */
export function isWrappedSecret(value: unknown): value is { readonly value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Wraps `value` the way the mock monitor carries a secret (mocks return it for outputs AWS marks secret). */
export function wrapSecret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The engine's sentinel for a value unknown during preview (`UnknownStringValue`); the policy proxy knows it. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Replaces every wrapped secret by its plain value, as the policy analyzer does for resource policies, and
 * every value unknown in a mocked preview by the engine's unknown sentinel, as the analyzer receives it.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN_SENTINEL;
  if (isWrappedSecret(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/**
 * Runs every policy against `resources`; returns the violations in resource order, empty when compliant.
 * @example expect(await evaluatePolicies(resources, policies)).to.deep.equal([])
 */
export async function evaluatePolicies(resources: readonly RecordedResource[], policies: Policies): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const policy of policies) {
    const report =
      (resource: RecordedResource | undefined): ReportViolation =>
      (message, urn) => {
        const target = urn === undefined ? resource : resources.find((r) => r.urn === urn);
        violations.push({ policy: policy.name, resource: target?.name ?? "(stack)", urn: target?.urn ?? urn, message });
      };
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      for (const resource of resources) {
        for (const validate of validations) await validate(resourceArgs(resource), report(resource));
      }
    }
    if ("validateStack" in policy) await policy.validateStack(stackArgs(resources), report(undefined));
  }
  return violations;
}

function plainProps(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return unknownCheckingProxy(unwrapSecrets(props)) as Record<string, unknown>;
}

const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  additionalSecretOutputs: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
};

/** Matches `resourceClass.__pulumiType` (set on every generated resource class), as the analyzer does. */
function typeChecks(type: string, props: Record<string, unknown>) {
  const isType = (resourceClass: object): boolean => (resourceClass as { __pulumiType?: unknown }).__pulumiType === type;
  // The analyzer's `asType` returns the props, typed by the caller's resource class.
  const asType = <T>(resourceClass: object): T | undefined => (isType(resourceClass) ? (props as T) : undefined);
  return { isType, asType };
}

function notApplicable(reason?: string): never {
  throw new Error(`policy not applicable: ${reason ?? "no reason given"}`);
}

function resourceArgs(resource: RecordedResource): ResourceValidationArgs {
  const props = plainProps(resource.inputs);
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props,
    opts: { ...OPTIONS, parent: resource.parent },
    stackTags: new Map(),
    ...typeChecks(resource.type, props),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable,
  };
}

function stackArgs(resources: readonly RecordedResource[]): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((r): PolicyResource => {
    const props = plainProps(r.outputs);
    const resource: PolicyResource = {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props,
      opts: { ...OPTIONS, parent: r.parent },
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(r.type, props),
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  list.forEach((resource, i) => {
    const parent = resources[i]!.parent; // list is resources.map(...): same length
    if (parent !== undefined) resource.parent = byUrn.get(parent);
  });
  return { resources: list, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable };
}
