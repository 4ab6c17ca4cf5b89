/**
 * `kinesis-ingest doctor --stack NAME`: read-only AWS calls that check, before `pulumi up`, what only the
 * account knows (quotas, account settings, the network and certificate the front needs, names in use).
 * Exports `main(argv)` for `cli/main.ts`; also runnable directly (`tsx cli/doctor.ts …`).
 */
import { EXIT } from "../cli-kit/exit-codes";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { readStackFile, validateStackConfig } from "../config";
import { PROJECT_DIR } from "../config/project";
import { destroyClients, doctorClients } from "../doctor/clients";
import { doctorPlan } from "../doctor/plan";
import { allPassed, renderTable, runDoctor } from "../doctor/run";
import { stackRegion } from "../doctor/stack-region";
import type { CheckResult, DoctorClients } from "../doctor/types";
import { runCommand } from "./run-command";

const HELP = `Usage: kinesis-ingest doctor --stack NAME [--region REGION] [--dir DIR] [--deployed] [--json]

Checks the AWS account against the stack before \`pulumi up\`, with read-only calls: Lambda concurrency
for the reserved concurrency, the API Gateway CloudWatch role (REST front with access logs: set, existing,
trusting API Gateway), the default VPC and its default subnets or the configured subnets (ALB front), the
certificate (ALB front), the Kinesis shard quota, and whether the stack's fixed names already exist
(functions, queues, the stream, tables, topics, event buses, log groups, enhanced fan-out consumers,
the dashboard).
  --stack NAME     the stack whose Pulumi.NAME.yaml is checked
  --region REGION  AWS region (default: the stack file's aws:region, else AWS_REGION)
  --dir DIR        where the stack files are (default: the project folder)
  --deployed       the stack is already deployed: its own names existing is expected, not a failure
  --json           print the checks as a JSON array of {check, status, detail, fix}
Statuses: pass, fail (with the fix), skipped (does not apply), error (the call failed, e.g. access denied).
Exit codes: 0 every check passed or was skipped, 1 a check failed or could not run (or the stack file is invalid), 64 bad usage.`;

/** Runs the command; resolves with the exit code. `clientsFor` is the tests' seam for mocked SDK clients. */
export async function main(argv: string[], clientsFor: (region: string) => DoctorClients = doctorClients): Promise<number> {
  return runCommand("doctor", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      stack: { type: "string" },
      region: { type: "string" },
      dir: { type: "string" },
      deployed: { type: "boolean" },
      json: { type: "boolean" },
    });
    rejectPositionals(positionals);
    if (!values.stack) throw new UsageError("--stack is required (e.g. --stack dev).");
    const dir = values.dir ?? PROJECT_DIR;
    const raw = readStackFile(values.stack, dir);
    const region = values.region ?? stackRegion(values.stack, dir);
    // With the region, the validator also refuses what `pulumi up` would (another partition, a fan-out target elsewhere).
    const config = validateStackConfig(raw, `Pulumi.${values.stack}.yaml`, { stack: values.stack, region });
    if (!region) throw new UsageError("No region: pass --region, set aws:region in the stack file, or set AWS_REGION.");
    const clients = clientsFor(region);
    let results: CheckResult[];
    try {
      results = await runDoctor(doctorPlan(values.stack, region, config, values.deployed ?? false), clients);
    } finally {
      destroyClients(clients);
    }
    process.stdout.write(values.json ? `${JSON.stringify(results)}\n` : renderTable(results));
    return allPassed(results) ? EXIT.ok : EXIT.failed;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
