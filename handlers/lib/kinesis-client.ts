/**
 * The Kinesis client the handlers create once per execution environment (module scope), so that TCP and
 * TLS connections are reused across invocations.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { KinesisClient, type KinesisClientConfig } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * A Kinesis client on HTTP/1.1 keep-alive (`NodeHttpHandler`: the HTTP/2 handler fails some
 * calls against emulators). `maxAttempts: 1` because `putRecordsWithRetry` owns retries: SDK retries
 * would resend every entry of a call and ignore the function's deadline. The endpoint comes from
 * `AWS_ENDPOINT_URL_KINESIS` when set (standard SDK behaviour), the region from `AWS_REGION`.
 */
export function createKinesisClient(overrides: KinesisClientConfig = {}): KinesisClient {
  return new KinesisClient({
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
      connectionTimeout: 2000,
    }),
    ...overrides,
  });
}
