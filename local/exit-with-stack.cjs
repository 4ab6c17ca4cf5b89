// Preloaded (`node -r`) into the emulators the local stack runs as child processes, so none outlives the
// stack or ignores a stop: it exits on SIGTERM, SIGINT or SIGHUP, and once the stack's process is gone (even
// killed with SIGKILL, when it can stop nothing) instead of holding its port as an orphan. kinesis-local
// (cats-effect) replaces `process.exit` with a graceful exit that can hang, so the original is kept here.
// A re-parented process sees a new `process.ppid`.
const { setInterval } = require("node:timers");
const exit = process.exit.bind(process);
const parent = process.ppid;
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => exit(0));
setInterval(() => {
  if (process.ppid !== parent) exit(0);
}, 250).unref();
