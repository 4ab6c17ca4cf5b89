/**
 * Cold-start cost of each Lambda entry in `handlers/` (`npx tsx bench/cold-start.bench.ts`), side by side with
 * a bare handler that only constructs the same AWS SDK clients (the SDK is the floor):
 * - the esbuild-minified bundle size (bundled as NodeFunction deploys it: node target, CommonJS, SDK inside);
 * - module init time: a fresh `node` process `require`s the bundle; median of several runs, wall and CPU time.
 * Target: each handler ≤ 1.25× its bare handler.
 *
 * Which clients a handler uses is read from esbuild's metafile (the `@aws-sdk/client-*` packages it bundles),
 * so the floor follows the handler's real imports.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build, type BuildOptions } from "esbuild";

const ROOT = path.resolve(__dirname, "..");
const HANDLERS = ["ingest", "authorizer", "forwarder"] as const;
const RUNS = 11;
const TARGET_RATIO = 1.25;

/** The client class each SDK package exports (only those the project uses). */
const CLIENT_CLASSES: Readonly<Record<string, string>> = {
  "@aws-sdk/client-kinesis": "KinesisClient",
  "@aws-sdk/client-secrets-manager": "SecretsManagerClient",
  "@aws-sdk/client-sqs": "SQSClient",
  "@aws-sdk/client-lambda": "LambdaClient",
  "@aws-sdk/client-dynamodb": "DynamoDBClient",
};

const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  metafile: true,
  logLevel: "error",
  legalComments: "none",
};

/** Environment a deployed function has: a region, and each handler's settings (read lazily or at init). */
const FUNCTION_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  STREAM_NAME: "kinesis-ingest-dev",
  TOKEN_SECRET_ID: "kinesis-ingest-dev-api-tokens",
  CONFIG_SECRET_ID: "kinesis-ingest-dev-forwarder-config",
  TARGET_URL: "http://127.0.0.1:9/events",
};

/** Prints the init time of one `require` as `wallMs cpuMs`. */
const MEASURE = `
const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
require(process.argv[1]);
const c = process.cpuUsage(c0);
process.stdout.write((Number(process.hrtime.bigint() - t0) / 1e6) + " " + ((c.user + c.system) / 1000));`;

interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly sdkPackages: string[];
}

async function bundleEntry(outdir: string, name: string, entry: BuildOptions): Promise<Bundle> {
  const file = path.join(outdir, `${name}.js`);
  const result = await build({ ...BUNDLE_OPTIONS, ...entry, outfile: file });
  const sdkPackages = Object.keys(CLIENT_CLASSES).filter((pkg) =>
    Object.keys(result.metafile!.inputs).some((input) => input.includes(`node_modules/${pkg}/`)),
  );
  return { file, bytes: statSync(file).size, sdkPackages };
}

/** A handler that imports and constructs the given SDK clients at module scope, and does nothing else. */
function bareHandlerSource(sdkPackages: readonly string[]): string {
  const lines = sdkPackages.map(
    (pkg, i) => `import { ${CLIENT_CLASSES[pkg]} as C${i} } from "${pkg}";\nexport const client${i} = new C${i}({});`,
  );
  return `${lines.join("\n")}\nexport const handler = async () => ({ statusCode: 200 });\n`;
}

function initTimes(file: string): { wallMs: number; cpuMs: number } {
  const out = execFileSync(process.execPath, ["-e", MEASURE, file], { env: FUNCTION_ENV, stdio: ["ignore", "pipe", "ignore"] });
  const [wallMs, cpuMs] = out.toString().split(" ").map(Number);
  return { wallMs: wallMs!, cpuMs: cpuMs! };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const outdir = mkdtempSync(path.join(tmpdir(), "cold-start-"));
  try {
    console.log(
      `Cold start: esbuild-minified bundle and module init (fresh node, median of ${RUNS}), vs a bare handler constructing the same SDK clients`,
    );
    let allMet = true;
    for (const name of HANDLERS) {
      const entry = path.join(ROOT, "handlers", `${name}.ts`);
      if (!existsSync(entry)) {
        console.log(`  ${name}: handlers/${name}.ts does not exist, skipped`);
        continue;
      }
      const handler = await bundleEntry(outdir, name, { entryPoints: [entry] });
      const bare = await bundleEntry(outdir, `${name}-bare`, {
        stdin: { contents: bareHandlerSource(handler.sdkPackages), resolveDir: ROOT, loader: "ts", sourcefile: `${name}-bare.ts` },
      });
      // Interleaved runs, so that load on the machine affects both alike.
      const ours = { wall: [] as number[], cpu: [] as number[] };
      const floor = { wall: [] as number[], cpu: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        const a = initTimes(handler.file);
        const b = initTimes(bare.file);
        ours.wall.push(a.wallMs);
        ours.cpu.push(a.cpuMs);
        floor.wall.push(b.wallMs);
        floor.cpu.push(b.cpuMs);
      }
      const sizeRatio = handler.bytes / bare.bytes;
      const wallRatio = median(ours.wall) / median(floor.wall);
      const cpuRatio = median(ours.cpu) / median(floor.cpu);
      const met = sizeRatio <= TARGET_RATIO && cpuRatio <= TARGET_RATIO;
      allMet &&= met;
      const clients = handler.sdkPackages.map((pkg) => CLIENT_CLASSES[pkg]).join(" + ") || "no SDK client";
      console.log(`  ${name} (floor: ${clients})`);
      console.log(`    bundle   ${kib(handler.bytes).padStart(11)} vs ${kib(bare.bytes).padStart(11)}  ${sizeRatio.toFixed(2)}x`);
      console.log(
        `    init wall ${median(ours.wall).toFixed(1).padStart(7)} ms vs ${median(floor.wall).toFixed(1).padStart(7)} ms  ${wallRatio.toFixed(2)}x`,
      );
      console.log(
        `    init CPU  ${median(ours.cpu).toFixed(1).padStart(7)} ms vs ${median(floor.cpu).toFixed(1).padStart(7)} ms  ${cpuRatio.toFixed(2)}x`,
      );
      console.log(`    target ≤ ${TARGET_RATIO}x (bundle and init CPU): ${met ? "MET" : "MISSED"}`);
    }
    console.log(allMet ? "All handlers within the cold-start target." : "Some handler misses the cold-start target.");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
