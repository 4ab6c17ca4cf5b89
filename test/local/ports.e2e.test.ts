/**
 * `npm start`'s emulators listen on ports derived from `--port` (fixed across restarts), and a derived
 * port already taken stops start-up naming it and the way out; `--ports random` is covered by every other
 * end-to-end test (support/local-stack-process.ts passes it).
 */
import { expect } from "chai";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { freePort } from "../../local/emulators";
import { startLocalStackProcess } from "./support/local-stack-process";

/** A port P with P..P+6 all free: the API's and the emulators'. */
async function freeRange(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 6 > 65535) continue;
    const servers: Server[] = [];
    try {
      for (let p = port; p <= port + 6; p++) {
        const server = createServer().listen(p, "127.0.0.1");
        servers.push(server);
        await once(server, "listening");
      }
      return port;
    } catch {
      // one of them is taken: try another range
    } finally {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  }
}

describe("local stack: emulator ports derived from --port", function () {
  this.timeout(90_000);

  it("puts Kinesis on --port + 1, SQS/SNS/S3 + 2, Secrets Manager + 3, DynamoDB + 4, EventBridge + 5", async () => {
    const port = await freeRange();
    const stack = await startLocalStackProcess(["--ports", "fixed"], { port });
    try {
      const status = await stack.status();
      const url = (offset: number) => `http://127.0.0.1:${port + offset}`;
      expect(status).to.deep.include({
        kinesisEndpoint: url(1),
        sqsEndpoint: url(2),
        s3Endpoint: url(2),
        secretsManagerEndpoint: url(3),
        dynamodbEndpoint: url(4),
        eventBridgeEndpoint: url(5),
        parameterStoreEndpoint: url(7),
      });
    } finally {
      await stack.stop();
    }
  });

  it("stops start-up when a derived port is taken, naming it and the way out", async () => {
    const port = await freeRange();
    const squatter = createServer().listen(port + 2, "127.0.0.1");
    await once(squatter, "listening");
    try {
      const failed = await startLocalStackProcess(["--ports", "fixed"], { port }).then(
        async (stack) => (await stack.stop(), undefined),
        (error: Error) => error,
      );
      expect(failed?.message).to.include(
        `Port ${port + 2} on 127.0.0.1, the sqs emulator's (--port + 2), is in use: pick another --port, or --ports random`,
      );
    } finally {
      squatter.close();
    }
  });
});
