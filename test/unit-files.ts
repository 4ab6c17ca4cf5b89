/**
 * Prints the test files of the unit suite (`npm run test:unit`), one a line: those that start no emulator,
 * no local stack and no child process, themselves or through the test support modules they import. What
 * marks a file as needing those is a call of one of the starters below; a new starter joins the list.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** The calls that start an emulator, the local stack or a process. */
const STARTERS =
  /\b(startKinesalite|startKinesis|startKinesisLocal|startSqs|startDynamoDb|startRemoteDynalite|startLocalStack|startLocalStackProcess|startEmulators|KinesisEventSource\.start|spawn|spawnSync|exec|execSync|execFile|execFileSync|fork|chromium\.launch)\s*\(/;

const IMPORT = /from\s+"(\.{1,2}\/[^"]+)"/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : testFiles(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** Whether `file`, or a module under test/ it imports (transitively), starts something. */
function startsSomething(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  if (STARTERS.test(text)) return true;
  for (const [, specifier] of text.matchAll(IMPORT)) {
    const target = path.resolve(path.dirname(file), specifier!);
    const module = [`${target}.ts`, path.join(target, "index.ts")].find(existsSync);
    if (module?.startsWith(path.join(ROOT, "test") + path.sep) && startsSomething(module, seen)) return true;
  }
  return false;
}

const unit = testFiles(path.join(ROOT, "test"))
  .filter((file) => !startsSomething(file))
  .map((file) => path.relative(ROOT, file))
  .sort();
process.stdout.write(unit.join("\n") + "\n");
