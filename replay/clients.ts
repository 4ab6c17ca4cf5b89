/**
 * AWS clients for the replay and redrive tools, pointed at AWS or at the local stack by the same flags:
 * one `--endpoint` for all services, `--kinesis-endpoint` / `--sqs-endpoint` / `--lambda-endpoint` to override.
 */
import { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { UsageError } from "./errors";

/** Where the services are: region plus optional endpoint overrides. */
export interface AwsTarget {
  /** AWS region; falls back to AWS_REGION / AWS_DEFAULT_REGION, then (only with an endpoint) `us-east-1`. */
  readonly region?: string;
  /**
   * One endpoint for every service (LocalStack-style), or the local stack's URL: it serves the Invoke API
   * itself and names its Kinesis and SQS emulators at `/_local/status` (see {@link withLocalStackEndpoints}).
   */
  readonly endpoint?: string;
  readonly kinesisEndpoint?: string;
  readonly sqsEndpoint?: string;
  readonly lambdaEndpoint?: string;
  /** S3 (`replay --from-archive`); the local stack names its emulator's as `s3Endpoint` in its status. */
  readonly s3Endpoint?: string;
}

/** Emulators accept any credentials; used only with an endpoint and when the environment has none. */
const emulatorCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/** The part of the local stack's `GET /_local/status` that says where its emulators listen. */
interface LocalStackStatus {
  readonly kinesisEndpoint: string;
  readonly sqsEndpoint: string;
  /** Only on a local stack that runs the S3 emulator (the archive). */
  readonly s3Endpoint?: string;
}

/**
 * When `--endpoint` is the local stack (`npm start`), fills in the Kinesis, SQS and S3 endpoints not given
 * explicitly from its `/_local/status`: the stack's own port serves only the Lambda Invoke API, so Kinesis,
 * SQS and S3 calls sent there fail with a bare "Not Found". Any other endpoint is kept for every service.
 */
export async function withLocalStackEndpoints(target: AwsTarget, timeoutMs = 2000): Promise<AwsTarget> {
  if (!target.endpoint || (target.kinesisEndpoint && target.sqsEndpoint && target.s3Endpoint)) return target;
  let status: Partial<LocalStackStatus>;
  try {
    const response = await fetch(new URL("/_local/status", target.endpoint), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return target;
    status = (await response.json()) as Partial<LocalStackStatus>;
  } catch {
    return target; // not the local stack (or not reachable): the SDK call will say what is wrong
  }
  if (typeof status.kinesisEndpoint !== "string" || typeof status.sqsEndpoint !== "string") return target;
  return {
    ...target,
    kinesisEndpoint: target.kinesisEndpoint ?? status.kinesisEndpoint,
    sqsEndpoint: target.sqsEndpoint ?? status.sqsEndpoint,
    s3Endpoint: target.s3Endpoint ?? (typeof status.s3Endpoint === "string" ? status.s3Endpoint : undefined),
  };
}

/** Resolves the region, or explains how to give one. */
export function resolveRegion(target: AwsTarget): string {
  const region = target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (region) return region;
  if (anyEndpoint(target)) return "us-east-1";
  throw new UsageError("No region: pass --region or set AWS_REGION.");
}

/**
 * A Kinesis client. Always HTTP/1.1 (`NodeHttpHandler`): GetRecords needs no HTTP/2, and the default
 * HTTP/2 handler fails a few percent of calls against the emulators with `Protocol error`.
 */
export function kinesisClientFor(target: AwsTarget): KinesisClient {
  const endpoint = target.kinesisEndpoint ?? target.endpoint;
  return new KinesisClient({
    ...common(target, endpoint),
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    }),
  });
}

/** An SQS client (the on-failure destination queue). */
export function sqsClientFor(target: AwsTarget): SQSClient {
  return new SQSClient(common(target, target.sqsEndpoint ?? target.endpoint));
}

/**
 * An S3 client (the archive). Against an endpoint (an emulator) it addresses buckets path-style
 * (`http://host/bucket/key`): virtual-hosted names like `bucket.127.0.0.1` do not resolve.
 */
export function s3ClientFor(target: AwsTarget): S3Client {
  const endpoint = target.s3Endpoint ?? target.endpoint;
  return new S3Client({ ...common(target, endpoint), ...(endpoint ? { forcePathStyle: true } : {}) });
}

/** A Lambda client (Invoke only). Replays can take long: no SDK-level retries of function errors. */
export function lambdaClientFor(target: AwsTarget): LambdaClient {
  return new LambdaClient(common(target, target.lambdaEndpoint ?? target.endpoint));
}

function common(target: AwsTarget, endpoint: string | undefined) {
  const region = resolveRegion(target);
  if (!endpoint) return { region };
  return { region, endpoint, ...(hasEnvironmentCredentials() ? {} : { credentials: emulatorCredentials }) };
}

function anyEndpoint(target: AwsTarget): boolean {
  return Boolean(target.endpoint ?? target.kinesisEndpoint ?? target.sqsEndpoint ?? target.lambdaEndpoint ?? target.s3Endpoint);
}

function hasEnvironmentCredentials(): boolean {
  return Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE || process.env.AWS_WEB_IDENTITY_TOKEN_FILE);
}
