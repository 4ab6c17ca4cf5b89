/**
 * `npm start`: runs the stack's topology locally (see stack.ts), prints the URL, the token and a line
 * containing `ready`, and stops everything, within 5 s, on SIGINT, SIGTERM or SIGHUP to any process of the
 * `npm start` tree: to this one directly; to npm, `sh` or tsx above it through the launcher watch (npm and
 * `sh` exit without passing a SIGTERM on, tsx dies of a SIGHUP); to kinesis-local below it when that exits.
 * A launcher that dies, however, takes the stack with it; and kinesis-local exits when this process dies.
 */
import path from "node:path";
import { ConfigValidationError } from "../config/errors";
import { loadStackFile } from "../config/load";
import { PROJECT_DIR } from "../config/project";
import { EXIT } from "../cli-kit/exit-codes";
import { UsageError } from "../cli-kit/usage-error";
import { parseLocalArgs, USAGE } from "./args";
import { authLine, startupNotes } from "./banner";
import { startKinesis } from "./emulators";
import { launcherPids, watchLaunchers } from "./launcher-watch";
import { emulatorPorts, onPort } from "./ports";
import type { RunningLocalStack } from "./stack";
import { resolveIngestToken } from "./token";

// The AWS SDK warns on every start that its 2027 releases will need Node 22; Node 20 is this project's
// documented runtime, so that one warning is dropped and every other warning is printed as usual.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (!`${warning.name} ${warning.message}`.includes("NodeVersionSupportWarning"))
    console.error(`(node) ${warning.name}: ${warning.message}`);
});

/** Shutdown must finish within this, whatever hangs: the process exits regardless. */
const SHUTDOWN_DEADLINE_MS = 5000;

async function main(): Promise<number> {
  let args;
  try {
    args = parseLocalArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  let config;
  try {
    config = loadStackFile(args.stack, args.dir === undefined ? undefined : path.resolve(args.dir));
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    console.error(error.message);
    return EXIT.failed;
  }
  const token = resolveIngestToken(PROJECT_DIR);
  const startedAt = Date.now();
  let starting: Promise<RunningLocalStack> | undefined;
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return; // the group's SIGINT and tsx's relay of it both arrive
    stopping = true;
    console.log(`${reason}: stopping the local stack`);
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    // A signal during start-up stops what has started once start-up returns (or the deadline passes).
    void (starting ?? Promise.reject(new Error("not started")))
      .then((stack) => stack.stop())
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);
  watchLaunchers(launcherPids(), (pid) => shutdown(`process ${pid} that started the local stack exited`));

  // The emulator starts first: kinesis-local boots in its own process while this one loads the handlers.
  const ports = emulatorPorts(args.port, args.ports);
  const kinesisEmulator = onPort(ports, "kinesis", (port) => startKinesis(args.kinesis, port));
  void kinesisEmulator.then(
    (emulator) => emulator.exited?.then(() => shutdown(`${args.kinesis} exited`)),
    () => undefined,
  );
  const options = {
    stack: args.stack,
    port: args.port,
    kinesis: args.kinesis,
    limits: args.limits,
    scalerPeriodSeconds: args.scalerPeriodSeconds,
    token,
    forwardUrl: process.env.FORWARD_URL || undefined,
    sinkRejectField: process.env.SINK_REJECT_FIELD || undefined,
    kinesisEmulator,
    emulatorPorts: ports,
  };
  starting = import("./stack").then(
    ({ startLocalStack }) => startLocalStack(config, options),
    async (error: unknown) => {
      await kinesisEmulator.then((emulator) => emulator.stop()).catch(() => undefined);
      throw error;
    },
  );
  const stack = await starting;
  if (stopping) return new Promise<number>(() => undefined); // shutdown is under way
  const status = stack.status();
  console.log(`kinesis-ingest local stack "${args.stack}" on ${stack.url}`);
  console.log(
    status.api.websocketUrl
      ? `  WebSocket ${status.api.websocketUrl}  {"action":"putRecords","id":"…","records":[…]} (answers POST ${stack.url}/@connections/{id})`
      : status.api.graphqlUrl
        ? `  GraphQL POST ${status.api.graphqlUrl}  mutation { putRecords(records: […]) { failedRecordCount records { … } } }`
        : `  POST ${stack.url}/records   GET ${stack.url}/health`,
  );
  console.log(authLine(status.api, stack.url, token));
  console.log(`  token: ${token}${process.env.INGEST_TOKEN ? " (from INGEST_TOKEN)" : " (kept in .local/token)"}`);
  console.log(
    `  stream ${status.streamName} (${status.shards} shard${status.shards === 1 ? "" : "s"}) on ${args.kinesis} ${status.kinesisEndpoint}${args.limits ? " through the limits proxy" : ""}`,
  );
  console.log(`  SQS ${status.sqsEndpoint}; on-failure queues: ${Object.values(status.queues).join(", ") || "none"}`);
  const archives = Object.entries(status.archives).map(([consumer, url]) => `${consumer} → ${url}`);
  console.log(`  S3 ${status.s3Endpoint} (path-style); archives: ${archives.join(", ") || "none"}`);
  console.log(`  functions: ${status.functions.join(", ")} (POST ${stack.url}/2015-03-31/functions/NAME/invocations)`);
  for (const [consumer, target] of Object.entries(status.targets)) console.log(`  ${consumer} delivers to ${target}`);
  for (const [consumer, target] of Object.entries(status.fanoutTargets)) {
    const where =
      target.kind === "sqs"
        ? `queue ${target.queueUrl}`
        : target.kind === "sns"
          ? `topic ${target.topicArn} (read it at ${target.readerQueueUrl})`
          : `bus ${target.eventBusName} of the PutEvents stand-in ${status.eventBridgeEndpoint} (GET ${stack.url}/_local/events)`;
    console.log(`  ${consumer} publishes to ${where}`);
  }
  const tables = Object.entries(status.tables).flatMap(([consumer, own]) => Object.values(own).map((table) => `${table} (${consumer})`));
  console.log(`  DynamoDB ${status.dynamodbEndpoint}; tables: ${tables.join(", ") || "none"}`);
  console.log(`  Secrets Manager ${status.secretsManagerEndpoint}; secret ids: ${status.secrets.join(", ")}`);
  const parameters = Object.keys(status.parameters);
  if (parameters.length > 0)
    console.log(`  Parameter Store stand-in ${status.parameterStoreEndpoint}; parameters: ${parameters.join(", ")}`);
  console.log(`  console: ${stack.url}/   status: ${stack.url}/_local/status   sink: ${stack.url}/_local/sink`);
  for (const note of startupNotes({
    targets: status.targets,
    sinkUrl: `${stack.url}/_local/sink`,
    forwardUrl: options.forwardUrl,
    sinkRejectField: options.sinkRejectField,
    layers: Object.fromEntries(Object.values(config.consumers).map((c) => [c.name, c.layers])),
  }))
    console.log(note);
  console.log(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  return new Promise<number>(() => undefined); // runs until a signal
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`npm start failed: ${error.message}`);
    process.exit(EXIT.failed);
  },
);
