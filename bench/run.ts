/**
 * Runs every benchmark in `bench/`, one after another (never side by side: each measures ratios within its
 * own run, and a second load on this 2-core machine would only add noise). `npm run bench [-- NAME...]`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const wanted = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(".bench.ts", "")))
  .sort();
const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
// The SDK's notice that Node 20 support ends in 2027 would otherwise interleave with every table.
const QUIET = `${process.env.NODE_OPTIONS ?? ""} --disable-warning=NodeVersionSupportWarning`.trim();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(tsx, [path.join(__dirname, file)], { stdio: "inherit", env: { ...process.env, NODE_OPTIONS: QUIET } });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
