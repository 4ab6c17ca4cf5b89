/**
 * Checks, before any resource, that every custom consumer's module bundles and exports `handler`: a typo in
 * an export name fails the plan naming the key and the path, not the first invocation in the account.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { runInThisContext } from "node:vm";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import { consumerModuleProblem, handlerEntryFile, noHandlerExport } from "../config/consumer-code";
import { isBuiltInKind } from "../handlers/lib/built-in-kinds";
import type { StackConfig } from "../config/types";
import { bundleHandler } from "./bundle";
import { LAMBDA_NODE_TARGET } from "./constants";

/** Throws a `pulumi.RunError` naming every custom consumer whose module cannot be bundled or exports no `handler`. */
export function checkHandlerModules(config: StackConfig): void {
  const problems = handlerModuleProblems(config);
  if (problems.length > 0) throw new pulumi.RunError(`The stack's consumers cannot be deployed:\n  - ${problems.join("\n  - ")}`);
}

/**
 * One sentence per custom consumer whose module cannot be bundled or exports no `handler` function
 * (`consumerModuleProblem`); `synth` prints them before it runs the program.
 */
export function handlerModuleProblems(config: StackConfig): string[] {
  const problems: string[] = [];
  for (const consumer of Object.values(config.consumers)) {
    if (isBuiltInKind(consumer.handler)) continue;
    const problem = handlerModuleProblem(handlerEntryFile(consumer.handler));
    if (problem) problems.push(consumerModuleProblem(consumer.name, consumer.handler, problem));
  }
  return problems;
}

/** Why the module at `file` cannot serve as a Lambda handler, or undefined when it can. */
function handlerModuleProblem(file: string): string | undefined {
  let exported: string[];
  try {
    const result = buildSync({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: LAMBDA_NODE_TARGET,
      metafile: true,
      outfile: "check.mjs",
      logLevel: "silent",
    });
    exported = Object.values(result.metafile.outputs)[0]?.exports ?? [];
  } catch (error) {
    return `cannot be bundled: ${firstLine(error)}`;
  }
  if (exported.includes("handler")) return undefined;
  // A CommonJS module's exports are only known by running it; an ES module's are listed.
  if (!exported.includes("default")) return noHandlerExport(exported);
  const commonJs = commonJsExports(file);
  return typeof commonJs.handler === "function" ? undefined : noHandlerExport(Object.keys(commonJs));
}

function commonJsExports(file: string): Record<string, unknown> {
  const code = bundleHandler(file).code.toString("utf8");
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: file });
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

function firstLine(error: unknown): string {
  const { errors } = error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> };
  const first = errors?.[0];
  if (first) return first.location ? `${first.text} (${first.location.file}:${first.location.line})` : first.text;
  return String((error as Error).message ?? error).split("\n")[0] ?? "";
}
