/**
 * Bundles a Lambda handler with esbuild at program time into a deterministic ZIP archive. Deterministic
 * means: paths inside the bundle are relative to the project, the archive's entries and timestamps are
 * fixed (see `zip.ts`), so the same sources give the same bytes and `pulumi up` shows no code diff.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";
import { LAMBDA_NODE_TARGET } from "./constants";
import { deterministicZip } from "./zip";

/** The project's root folder: bundle paths are made relative to it. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Where archives are written, content-addressed (git-ignored). */
const BUNDLE_DIR = path.join(PROJECT_ROOT, ".local", "bundles");

/** The result of bundling one handler entry. */
export interface HandlerBundle {
  /** The entry file, relative to the project root. */
  readonly entry: string;
  /** The bundled `index.js`. */
  readonly code: Buffer;
  /** The ZIP archive holding the bundle (`index.js` unless another path was asked for). */
  readonly zip: Buffer;
  /** SHA-256 (hex) of `zip`. */
  readonly sha256: string;
}

/**
 * Bundles `entryPath` (absolute, or relative to the project root) into a one-file CommonJS bundle exporting
 * the module's `handler`, and packs it as `archivePath` (`index.js`: Lambda handler `index.handler`).
 * @example const { sha256 } = bundleHandler("handlers/ingest.ts");
 */
export function bundleHandler(entryPath: string, archivePath = "index.js"): HandlerBundle {
  const absolute = path.resolve(PROJECT_ROOT, entryPath);
  if (!existsSync(absolute)) throw new Error(`handler entry ${entryPath} does not exist (looked for ${absolute})`);
  const entry = path.relative(PROJECT_ROOT, absolute).split(path.sep).join("/");
  const result = buildSync({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: "index.js",
    bundle: true,
    platform: "node",
    target: LAMBDA_NODE_TARGET,
    format: "cjs",
    write: false,
    // Readable stack traces in CloudWatch; paths in esbuild's comments stay project-relative.
    minify: false,
    keepNames: true,
    sourcemap: false,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "silent",
  });
  const output = result.outputFiles.find((file) => file.path.endsWith("index.js"));
  if (!output) throw new Error(`esbuild produced no index.js for ${entry}`);
  const code = Buffer.from(output.contents);
  const zip = deterministicZip({ [archivePath]: code });
  return { entry, code, zip, sha256: createHash("sha256").update(zip).digest("hex") };
}

const cache = new Map<string, { bundle: HandlerBundle; file: string }>();

/**
 * Bundles `entryPath` once per process and writes the archive to `.local/bundles/<entry>-<sha>.zip`,
 * returning the bundle and the archive's path (for `pulumi.asset.FileArchive`). The bundle is the archive's
 * `archivePath`: `index.js` for a function, elsewhere for a canary (semantics/synthetics.ts).
 */
export function bundledArchive(entryPath: string, archivePath = "index.js"): { bundle: HandlerBundle; file: string } {
  const key = `${path.resolve(PROJECT_ROOT, entryPath)}\0${archivePath}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const bundle = bundleHandler(entryPath, archivePath);
  const base = path.basename(bundle.entry).replace(/\.[cm]?[jt]s$/, "");
  const file = path.join(BUNDLE_DIR, `${base}-${bundle.sha256.slice(0, 16)}.zip`);
  if (!existsSync(file)) {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    writeFileSync(file, bundle.zip);
  }
  const entry = { bundle, file };
  cache.set(key, entry);
  return entry;
}
