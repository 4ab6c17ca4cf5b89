// The sandbox of one local function that runs user code: a worker thread with its own environment, as a
// Lambda execution environment has. Loads the module once (TypeScript through tsx), then runs one handler
// call per message. Plain CommonJS so the worker starts without a loader of its own.
const { parentPort, workerData } = require("node:worker_threads");
const { Buffer } = require("node:buffer");

// What the module writes to stdout and stderr goes to the local stack as messages on the same port as the
// results, so each line reaches the log of the invocation that wrote it, before that invocation's result.
for (const name of ["stdout", "stderr"]) {
  process[name].write = (chunk, encoding, callback) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    parentPort.postMessage({ type: "output", stream: name, text });
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") process.nextTick(done);
    return true;
  };
}

require(workerData.tsx);
let handler;
try {
  const loaded = require(workerData.modulePath);
  handler = loaded.handler;
  // Without a handler, the names it does export: the local stack words the problem as the plan does.
  if (typeof handler === "function") parentPort.postMessage({ type: "ready" });
  else parentPort.postMessage({ type: "no-handler", exports: Object.keys(loaded ?? {}) });
} catch (error) {
  parentPort.postMessage({ type: "init-error", message: error && error.message ? error.message : String(error) });
}

parentPort.on("message", async ({ id, event, context, deadline }) => {
  const noop = () => undefined;
  const ctx = { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), done: noop, fail: noop, succeed: noop };
  try {
    const result = await handler(event, ctx);
    parentPort.postMessage({ type: "result", id, result: result === undefined ? null : result });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ type: "error", id, name: err.name, message: err.message, stack: err.stack ?? "" });
  }
});
