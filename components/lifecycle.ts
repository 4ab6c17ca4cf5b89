/**
 * The resource options that make a second `pulumi up` as safe as the first, one rule each
 * (docs/day-2.md#lifecycle-options):
 * - a data-bearing resource (the stream, a table, the archive bucket, an on-failure or fan-out queue or topic)
 *   is retained in AWS when Pulumi deletes it, and protected when the stack says so (`lifecycle.protect`):
 *   then deleting or replacing it fails instead of losing what it holds;
 * - a resource with a fixed physical name that holds no data (an event source mapping, a log group, an event
 *   bus, the alarm topic) is replaced delete-first: a create-first replacement can only collide with the one
 *   it replaces (Lambda's one mapping per function and stream, or the name itself);
 * - a Region-wide account setting the stack owns for everyone (the API Gateway CloudWatch role and the account
 *   setting naming it) is retained: other stacks' APIs use it, so neither `pulumi destroy` nor turning the flag
 *   off may reset or delete it.
 * Never both on one resource: a retained resource "deleted" first stays in AWS, and its replacement's create
 * would collide with it after the stack had already forgotten it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LifecycleConfig } from "../config/types";

export type { LifecycleConfig };

/** `opts` for a data-bearing resource of a stack with lifecycle settings `lifecycle`. */
export function dataBearing(lifecycle: LifecycleConfig, opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, retainOnDelete: true, protect: lifecycle.protect };
}

/**
 * `opts` for a resource that configures a data-bearing one (the archive bucket's encryption, public access
 * block, policy, ownership and expiry): retained with it, so a retained bucket keeps its protections; never
 * protected, so it can still be replaced.
 */
export function retainedWith(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, retainOnDelete: true };
}

/** `opts` for a resource with a fixed physical name and no data of its own. */
export function fixedName(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, deleteBeforeReplace: true };
}

/**
 * `opts` for a Region-wide setting the stack creates but every API of the account and Region uses (the API
 * Gateway account's CloudWatch role, its policy, and `aws.apigateway.Account`, whose delete resets the setting in
 * the provider @pulumi/aws 7 bridges): Pulumi forgets it instead of deleting it, so the other APIs keep logging.
 */
export function sharedAccountSetting(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { ...opts, retainOnDelete: true };
}
