/**
 * The Lambda Invoke API over one handler in this process, served by the local stack's own code
 * (`local/lambda-invoke.ts`, `local/functions.ts`), so that a benchmark drives `redrive --to-function`'s
 * library (`functionTarget`, which sends `InvokeCommand`) against the same warm handler its event source
 * mapping invokes: what the redrive meets is what the first pass left (the memory store's keys included).
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { LOCAL_REGION } from "../local/emulators";
import { FunctionRegistry, LocalFunction, type LambdaHandler } from "../local/functions";
import { readBody } from "../local/http-util";
import { isInvokePath, serveInvoke } from "../local/lambda-invoke";
import { lambdaClientFor } from "../replay/clients";

/** A function served over the Invoke API. */
export interface InvokeEndpoint {
  /** The function, for an event source mapping's `invoke`: the same container as the Invoke API's. */
  readonly fn: LocalFunction;
  /** A Lambda client pointed at the endpoint. */
  readonly lambda: LambdaClient;
  stop(): Promise<void>;
}

/** Serves `handler` as the function `name` on 127.0.0.1. */
export async function startInvokeEndpoint(name: string, handler: LambdaHandler): Promise<InvokeEndpoint> {
  const registry = new FunctionRegistry("kinesis-ingest-bench-");
  const fn = registry.add(new LocalFunction({ name, handler }));
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      if (!isInvokePath(new URL(req.url ?? "/", "http://local").pathname)) return void res.writeHead(404).end();
      await serveInvoke(registry, req, res, body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const lambda = lambdaClientFor({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: LOCAL_REGION });
  return {
    fn,
    lambda,
    stop: async () => {
      lambda.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
