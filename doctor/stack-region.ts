/**
 * The region a stack deploys to, as `pulumi up` picks it: the stack file's `aws:region`, else the
 * environment's AWS_REGION / AWS_DEFAULT_REGION. (`config/load.ts` keeps only the project's own keys.)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { isObject } from "../config/rules";

/** `aws:region` of `Pulumi.<stack>.yaml` in `dir`, or the environment's region, or undefined. */
export function stackRegion(stack: string, dir: string): string | undefined {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"));
  } catch {
    doc = undefined; // loading the stack file reports a missing or broken file with its own message
  }
  const region = isObject(doc) && isObject(doc.config) ? doc.config["aws:region"] : undefined;
  return typeof region === "string" && region !== "" ? region : (process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION);
}
