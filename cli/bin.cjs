#!/usr/bin/env node
// The `kinesis-ingest` bin: runs the TypeScript sources through tsx, so `npx kinesis-ingest` works from a checkout.
"use strict";
// The project runs on Node 20 (package.json "engines"); the SDK's notice that future releases will need Node 22 is not
// something a CLI user can act on, and it would interleave with the progress line and the summary.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning && warning.message ? warning.message : warning).startsWith("NodeVersionSupportWarning")) return;
  return emitWarning.call(process, warning, ...rest);
};
require("tsx/cjs");
const { main } = require("./main.ts");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`kinesis-ingest: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
