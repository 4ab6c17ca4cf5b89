// The sandbox of one local function that runs user code: a worker thread with its own environment, as a
// Lambda execution environment has. Loads the module once (TypeScript through tsx), then runs one handler
// call per message. Plain CommonJS so the worker starts without a loader of its own.
const { parentPort, workerData } = require("node:worker_threads");

require(workerData.tsx);
let handler;
try {
  const loaded = require(workerData.modulePath);
  handler = loaded.handler;
  if (typeof handler !== "function") throw new Error(`${workerData.modulePath} exports no handler function`);
  parentPort.postMessage({ type: "ready" });
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
