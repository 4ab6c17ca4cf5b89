/**
 * The offline plan: `npm run synth -- --stack prod [--json] [--dir <folder>] [--against <file>]`. Validates
 * the stack file and its consumers' own modules (every problem printed, exit 1, before the program runs),
 * runs the real program under mocks, prints every resource with its type, name, parent, lifecycle options
 * and inputs, and the policy pack's verdict on them; with `--against`, plans the older file too and prints what the change does (`./against`).
 * Exit codes (`EXIT`): 0 planned and compliant; 1 invalid config, program error or policy violation; 4 with
 * `--against`, a change loses data; 64 bad usage.
 */
import path from "node:path";
import { isBuiltInKind } from "../handlers/lib/built-in-kinds";
import { ConfigValidationError } from "../config/errors";
import { readStackFile, readStackFileAt } from "../config/load";
import { PROJECT_DIR } from "../config/project";
import type { RawObject } from "../config/rules";
import { validateStackConfig } from "../config/validate";
import { EXIT } from "../cli-kit/exit-codes";
import { UsageError } from "../cli-kit/usage-error";
import { parseArgs, USAGE, type SynthArgs } from "./args";

/** Runs the command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: SynthArgs | "help";
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (args === "help") {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (args.json && npmPrintsItsBanner()) {
    console.error(
      'note: npm printed its "> kinesis-ingest synth" banner on stdout before this JSON; for clean JSON to pipe, run: npm run -s synth -- --json …',
    );
  }
  const file = `Pulumi.${args.stack}.yaml`;
  const current = await validRaw(file, args.stack, () => readStackFile(args.stack, args.dir));
  if (current === undefined) return EXIT.failed;
  const filePath = path.join(args.dir ?? PROJECT_DIR, file);
  if (args.against === undefined) return plan(args, file, filePath, current);
  const against = args.against;
  const old = await validRaw(against, args.stack, () =>
    readStackFileAt(against, `give --against an earlier ${file} (e.g. git show HEAD~1:${file} > old.yaml)`),
  );
  if (old === undefined) return EXIT.failed;
  const { reportChange } = await import("./against");
  return reportChange(args, { label: file, path: filePath, raw: current }, { label: against, path: against, raw: old });
}

/**
 * The stack file's values read by `read` and validated, its consumers' own modules checked (bundled, exporting
 * `handler`), or undefined once every problem is printed. The modules are checked here, before the program
 * runs: the program's own check would end the plan in Pulumi's RunError trace.
 */
async function validRaw(label: string, stack: string, read: () => RawObject): Promise<RawObject | undefined> {
  let problems: readonly string[];
  try {
    const raw = read();
    const config = validateStackConfig(raw, label, { stack });
    problems = Object.values(config.consumers).every((c) => isBuiltInKind(c.handler))
      ? []
      : (await import("../components/handler-module")).handlerModuleProblems(config);
    if (problems.length === 0) return raw;
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    problems = error.problems;
  }
  console.error(`${label}: ${problems.length} problem${problems.length === 1 ? "" : "s"}, nothing was planned:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  return undefined;
}

/**
 * Whether npm ran this script without `-s`: npm then writes its banner to stdout before the script starts,
 * where nothing the script does can take it back, so `--json` output is only pipeable under `npm run -s`.
 */
function npmPrintsItsBanner(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_lifecycle_event === "synth" && env.npm_config_loglevel !== "silent";
}

async function plan(args: SynthArgs, file: string, filePath: string, raw: RawObject): Promise<number> {
  // Loaded only for a valid stack file: @pulumi/pulumi and the program take seconds to load.
  const [{ planStackFile }, { displayResources }, { evaluatePolicies }, { policies }, { notes, renderText }] = await Promise.all([
    import("./plan"),
    import("./display"),
    import("../policy/offline"),
    import("../policy/policies"),
    import("./output"),
  ]);
  const { plan: planned, region, secureKeys } = await planStackFile(args.stack, filePath, raw);
  const violations = await evaluatePolicies(planned.resources, policies);
  const report = {
    stack: args.stack,
    file,
    region,
    resources: await displayResources(planned.resources, planned.components),
    outputs: planned.outputs,
    secureKeys,
    warnings: planned.warnings,
    policyCount: policies.length,
    violations,
  };
  if (args.json) {
    console.log(JSON.stringify(report.resources, null, 2));
    for (const line of notes(report)) console.error(line);
  } else {
    console.log(renderText(report));
  }
  return violations.length === 0 ? EXIT.ok : EXIT.failed;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`the offline plan failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT.failed;
    },
  );
}
