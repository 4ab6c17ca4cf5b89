/**
 * The offline plan: `npm run synth -- --stack prod [--json] [--dir <folder>]`. Validates the stack file
 * (every problem printed, exit 1, before the program runs), runs the real program under mocks, prints
 * every resource with its type, name, parent and inputs, and the policy pack's verdict on them.
 * Exit codes (`EXIT`): 0 planned and compliant; 1 invalid config, program error or policy violation; 64 bad usage.
 */
import { ConfigValidationError } from "../config/errors";
import { readStackFile } from "../config/load";
import { PROJECT } from "../config/project";
import { validateStackConfig } from "../config/validate";
import { EXIT } from "../cli-kit/exit-codes";
import { UsageError } from "../cli-kit/usage-error";
import { parseArgs, USAGE, type SynthArgs } from "./args";
import { withoutSecureValues } from "./secure";
import { DEFAULT_REGION, pulumiConfig, readProviderConfig } from "./stack-config";

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
  let raw: Readonly<Record<string, unknown>>;
  try {
    raw = readStackFile(args.stack, args.dir);
    validateStackConfig(raw, file, { stack: args.stack });
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    console.error(`${file}: ${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}, nothing was planned:`);
    for (const problem of error.problems) console.error(`  - ${problem}`);
    return EXIT.failed;
  }
  return plan(args, file, raw);
}

/**
 * Whether npm ran this script without `-s`: npm then writes its banner to stdout before the script starts,
 * where nothing the script does can take it back, so `--json` output is only pipeable under `npm run -s`.
 */
function npmPrintsItsBanner(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_lifecycle_event === "synth" && env.npm_config_loglevel !== "silent";
}

async function plan(args: SynthArgs, file: string, raw: Readonly<Record<string, unknown>>): Promise<number> {
  // Loaded only for a valid stack file: @pulumi/pulumi and the program take seconds to load.
  const [{ planStack }, { displayResources }, { evaluatePolicies }, { policies }, { notes, renderText }] = await Promise.all([
    import("./plan"),
    import("./display"),
    import("../policy/offline"),
    import("../policy/policies"),
    import("./output"),
  ]);
  const { raw: plain, removed } = withoutSecureValues(raw);
  const provider = readProviderConfig(args.stack, args.dir);
  const region = provider["aws:region"] ?? DEFAULT_REGION;
  const planned = await planStack({ project: PROJECT, stack: args.stack, region, config: pulumiConfig(plain, provider) });
  const violations = await evaluatePolicies(planned.resources, policies);
  const report = {
    stack: args.stack,
    file,
    region,
    resources: await displayResources(planned.resources, planned.components),
    outputs: planned.outputs,
    secureKeys: removed,
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
