/**
 * Turns recorded resources into plain, printable data: secrets become `[secret]`, archives their
 * project-relative path, resource references their URN. This is what `--json` prints.
 */
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_DIR } from "../config/project";
import { isWrappedSecret } from "../policy/offline";
import { SECRET_MARK } from "./plan";
import type { LifecycleOptions, RegisteredResource } from "./record";

/** One resource of the plan, as printed. */
export interface PlannedResource {
  readonly type: string;
  /** Logical name (unique per type and parent). */
  readonly name: string;
  readonly urn: string;
  /** The parent's URN, `null` for a resource of the stack itself. */
  readonly parent: string | null;
  /** A component groups other resources and creates nothing itself. */
  readonly component: boolean;
  /** What deleting or replacing it does (`components/lifecycle.ts`): kept in AWS, refused, or delete-first. */
  readonly options: LifecycleOptions;
  /** The inputs the program gave it. */
  readonly inputs: Record<string, unknown>;
}

/** The printable form of every recorded resource, in program order. */
export async function displayResources(
  resources: readonly RegisteredResource[],
  components: ReadonlySet<string>,
): Promise<PlannedResource[]> {
  return Promise.all(
    resources.map(async (r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      parent: r.parent ?? null,
      component: components.has(r.urn),
      options: r.options,
      inputs: (await displayable(r.inputs)) as Record<string, unknown>,
    })),
  );
}

/**
 * `value` as plain data; a secret becomes `secretAs(its value)`, `[secret]` unless told otherwise (the change
 * report compares secrets by a digest it never prints).
 */
export async function displayable(value: unknown, secretAs: (secret: unknown) => unknown = () => SECRET_MARK): Promise<unknown> {
  if (isWrappedSecret(value)) return secretAs(value.value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => displayable(v, secretAs)));
  if (value instanceof pulumi.Resource) return { resource: await new Promise((resolve) => value.urn.apply(resolve)) };
  if (value instanceof pulumi.asset.FileArchive) return { archive: relative(await value.path) };
  if (value instanceof pulumi.asset.FileAsset) return { asset: relative(await value.path) };
  if (pulumi.asset.Archive.isInstance(value) || pulumi.asset.Asset.isInstance(value)) return { asset: "(in memory)" };
  if (typeof value === "object" && value !== null) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await displayable(v, secretAs)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

function relative(file: string): string {
  const rel = path.relative(PROJECT_DIR, path.resolve(PROJECT_DIR, file));
  return rel.startsWith("..") ? file : rel.split(path.sep).join("/");
}
