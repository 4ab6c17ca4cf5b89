/**
 * Deterministic bundles: the same sources give the same archive bytes (in one process and in another),
 * entries and timestamps are fixed, no absolute path leaks into the code, and the archive is a valid ZIP
 * whose `index.js` runs. ZIP format: PKWARE APPNOTE 6.3.x, sections 4.3.7 (local header), 4.3.12 (central
 * directory), 4.3.16 (end of central directory).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32, inflateRawSync } from "node:zlib";
import { expect } from "chai";
import { bundleHandler, bundledArchive, PROJECT_ROOT } from "../../components/bundle";
import { deterministicZip } from "../../components/zip";
import { builtInHandlerEntry, named, runCommittedStack } from "./harness";

const FIXTURE = path.join(__dirname, "fixtures", "handlers", "imports-lib.ts");

interface ZipEntry {
  name: string;
  time: number;
  date: number;
  crc: number;
  data: Buffer;
}

/** Reads a ZIP through its central directory, checking each entry's CRC. */
function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).to.equal(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).to.equal(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const localExtraLength = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    const crc = zip.readUInt32LE(at + 16);
    expect(crc32(data), `crc of ${name}`).to.equal(crc);
    entries.push({ name, time: zip.readUInt16LE(at + 12), date: zip.readUInt16LE(at + 14), crc, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe("program: deterministic bundles", () => {
  it("the zip writer sorts entries and fixes every timestamp to 1980-01-01", () => {
    const entries = readZip(deterministicZip({ "b.js": Buffer.from("b"), "a/x.js": Buffer.from("x"), "a.js": Buffer.from("") }));
    expect(entries.map((e) => [e.name, e.date, e.time, e.data.toString()])).to.deep.equal([
      ["a.js", 0x21, 0, ""],
      ["a/x.js", 0x21, 0, "x"],
      ["b.js", 0x21, 0, "b"],
    ]);
  });

  it("refuses absolute or escaping entry names", () => {
    expect(() => deterministicZip({ "/etc/passwd": Buffer.from("") })).to.throw(
      'zip entry names must be relative POSIX paths, got "/etc/passwd"',
    );
    expect(() => deterministicZip({ "../x.js": Buffer.from("") })).to.throw('zip entry names must be relative POSIX paths, got "../x.js"');
  });

  it("bundling twice gives identical bytes and hash", () => {
    const first = bundleHandler(FIXTURE);
    const second = bundleHandler(FIXTURE);
    expect(second.zip.equals(first.zip)).to.equal(true);
    expect(second.sha256).to.equal(first.sha256);
    expect(first.sha256).to.equal(createHash("sha256").update(first.zip).digest("hex"));
  });

  it("another process, in another time zone, bundles the same sources to the same hash", function () {
    this.timeout(30_000);
    const script = `process.stdout.write(require(${JSON.stringify(path.join(PROJECT_ROOT, "components", "bundle.ts"))}).bundleHandler(${JSON.stringify(FIXTURE)}).sha256)`;
    const tsxCli = path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const sha = execFileSync(process.execPath, [tsxCli, "-e", script], {
      cwd: os.tmpdir(),
      encoding: "utf8",
      env: { ...process.env, TZ: process.env.TZ === "Pacific/Kiritimati" ? "America/Adak" : "Pacific/Kiritimati" },
    });
    expect(sha).to.equal(bundleHandler(FIXTURE).sha256);
  });

  it("holds exactly index.js, with project-relative paths only, and the handler runs", async () => {
    const bundle = bundleHandler(FIXTURE);
    const entries = readZip(bundle.zip);
    expect(entries.map((e) => e.name)).to.deep.equal(["index.js"]);
    const code = entries[0]!.data.toString("utf8");
    expect(entries[0]!.data.equals(bundle.code)).to.equal(true);
    expect(code).to.not.contain(PROJECT_ROOT);
    expect(code).to.not.contain(os.homedir());
    expect(code).to.contain("// test/program/fixtures/handlers/lib/greeting.ts");
    expect(bundle.entry).to.equal("test/program/fixtures/handlers/imports-lib.ts");
    const dir = mkdtempSync(path.join(os.tmpdir(), "bundle-"));
    try {
      writeFileSync(path.join(dir, "index.js"), code);

      const loaded = require(path.join(dir, "index.js")) as { handler: () => Promise<string> };
      expect(await loaded.handler()).to.equal("hello bundle");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a different source gives a different hash", () => {
    expect(bundleHandler(path.join(__dirname, "fixtures", "handlers", "ingest.ts")).sha256).to.not.equal(bundleHandler(FIXTURE).sha256);
  });

  it("names a missing entry", () => {
    expect(() => bundleHandler("handlers/nope.ts")).to.throw(
      `handler entry handlers/nope.ts does not exist (looked for ${path.join(PROJECT_ROOT, "handlers", "nope.ts")})`,
    );
  });

  for (const handler of ["ingest", "authorizer", "forwarder"]) {
    it(`${handler}: the deployed archive is the deterministic bundle (Lambda handler index.handler)`, async () => {
      const entry = builtInHandlerEntry(handler);
      const { bundle, file } = bundledArchive(entry);
      expect(bundleHandler(entry).sha256).to.equal(bundle.sha256);
      expect(createHash("sha256").update(readFileSync(file)).digest("hex")).to.equal(bundle.sha256);
      expect(path.basename(file)).to.equal(`${handler}-${bundle.sha256.slice(0, 16)}.zip`);
      expect(readZip(readFileSync(file)).map((e) => e.name)).to.deep.equal(["index.js"]);
    });
  }

  it("every function of the dev stack deploys its archive on arm64 nodejs24.x with JSON logs and active tracing", async () => {
    const { resources } = await runCommittedStack("dev");
    for (const [name, handler, fn] of [
      ["api-ingest-function", "ingest", "ingest"],
      ["api-authorizer-function", "authorizer", "authorizer"],
      ["consumer-forwarder-fn-function", "forwarder", "forwarder"],
    ] as const) {
      const inputs = named(resources, "aws:lambda/function:Function", name).inputs;
      // Under mocks an archive input arrives as a FileArchive whose path is a promise.
      expect(await (inputs.code as { path: Promise<string> }).path).to.equal(bundledArchive(builtInHandlerEntry(handler)).file);
      expect(inputs).to.deep.include({
        runtime: "nodejs24.x",
        architectures: ["arm64"],
        handler: "index.handler",
        tracingConfig: { mode: "Active" },
        loggingConfig: {
          logFormat: "JSON",
          logGroup: `/aws/lambda/kinesis-ingest-dev-${fn}`,
          applicationLogLevel: "INFO",
          systemLogLevel: "WARN",
        },
      });
      const logGroup = named(resources, "aws:cloudwatch/logGroup:LogGroup", name.replace(/-function$/, "-logs")).inputs;
      expect(logGroup).to.deep.equal({ name: `/aws/lambda/kinesis-ingest-dev-${fn}`, retentionInDays: 7 });
    }
  });
});
