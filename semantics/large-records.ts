/**
 * How large a record may be, per stream and per hop that carries it
 * (docs/aws-semantics.md#large-records-and-warm-throughput): Kinesis's raised record size (UpdateMaxRecordSize,
 * CreateStream `MaxRecordSizeInKiB`), the request body each front passes to a Lambda function, and Lambda's
 * invocation payload. The validator (config/record-size-settings.ts) refuses a stream limit a hop cannot carry.
 */
import { MAX_INVOKE_PAYLOAD_BYTES, MIB } from "./limits";

/**
 * The share of a stream's traffic large records (over 1 MiB) are meant to stay under: Kinesis takes them by
 * bursting past a shard's unchanged 1 MiB/s write limit and refilling, for intermittent large records beside a
 * baseline of smaller ones, not a sustained flow ("Handle large records",
 * https://docs.aws.amazon.com/streams/latest/dev/large-records.html).
 */
export const LARGE_RECORD_TRAFFIC_SHARE = 0.02;

/** A stream's maximum record size, KiB: 1 MiB by default, up to 10 MiB (data plus partition key). */
export const RECORD_SIZE_KIB = { min: 1024, default: 1024, max: 10_240 } as const;

/** API Gateway (HTTP and REST APIs) refuses a request payload above 10 MB. */
export const API_GATEWAY_MAX_REQUEST_BYTES = 10 * MIB;

/** An Application Load Balancer passes a Lambda target a request body of at most 1 MB. */
export const ALB_LAMBDA_MAX_REQUEST_BYTES = 1 * MIB;

/**
 * The largest record a Lambda function can be handed: a consumer's event carries it base64-encoded (4 bytes per
 * 3), as a request's `dataBase64` carries a binary one to the ingest function, in a payload of at most 6 MB beside
 * its envelope (ARNs, ids, a partition key of up to 256 characters, headers), for which 2 KiB is kept.
 */
export const LAMBDA_MAX_RECORD_BYTES = Math.floor(((MAX_INVOKE_PAYLOAD_BYTES - 2048) * 3) / 4);

/** On-demand Advantage's warm throughput, MiB/s: at least 1, at most the on-demand write ceiling of the Region. */
export const WARM_THROUGHPUT_MIN_MIBPS = 1;
