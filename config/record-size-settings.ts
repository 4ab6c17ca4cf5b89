/**
 * `stream.maxRecordSizeKiB` and `stream.warmThroughputMiBps`, and what follows from them, checked before any
 * resource exists: a stream limit larger than what the front or a Lambda function can carry is refused, naming
 * that limit (semantics/large-records.ts), since such a record could be stored but never delivered.
 */
import {
  ALB_LAMBDA_MAX_REQUEST_BYTES,
  API_GATEWAY_MAX_REQUEST_BYTES,
  LAMBDA_MAX_RECORD_BYTES,
  RECORD_SIZE_KIB,
} from "../semantics/large-records";
import { MIB } from "../semantics/limits";
import { onDemandMaxWriteBytesPerSecond } from "../semantics/stream-capacity";
import { integer, type Problems, type RawObject } from "./rules";
import { bounds } from "./schema/kit";
import { STREAM } from "./schema/stream";

/** The largest on-demand write ceiling of any Region: the bound when the stack's Region is not known. */
const ANY_REGION = "us-east-1";

/** Reads both keys of the `stream` section `s` (`mode` already read; `region` when known). */
export function readRecordSettings(
  p: Problems,
  s: RawObject,
  mode: string | undefined,
  region: string | undefined,
): { maxRecordSizeKiB?: number; warmThroughputMiBps?: number } {
  const { maxRecordSizeKiB: size, warmThroughputMiBps: warm } = STREAM.properties;
  const maxRecordSizeKiB = integer(p, "stream.maxRecordSizeKiB", s.maxRecordSizeKiB ?? size.default, ...bounds(size));
  if (s.warmThroughputMiBps === undefined) return { maxRecordSizeKiB };
  if (mode === "provisioned") {
    p.say(
      "`stream.warmThroughputMiBps` applies only to on-demand streams (On-demand Advantage's warm throughput): remove it or set `stream.mode` to on-demand",
    );
    return { maxRecordSizeKiB };
  }
  const ceiling = onDemandMaxWriteBytesPerSecond(region ?? ANY_REGION) / MIB;
  return {
    maxRecordSizeKiB,
    warmThroughputMiBps: integer(p, "stream.warmThroughputMiBps", s.warmThroughputMiBps, warm.minimum, ceiling),
  };
}

/**
 * Refuses a `maxRecordSizeKiB` whose record the front or a Lambda function cannot carry: API Gateway's 10 MB
 * request, the ALB's 1 MB body to a Lambda target, and Lambda's 6 MB invocation payload, which carries a binary
 * record base64-encoded both ways: in a request's `dataBase64` to the ingest function, and in a consumer's event.
 */
export function checkRecordCarriers(p: Problems, maxRecordSizeKiB: number | undefined, front: string | undefined): void {
  if (maxRecordSizeKiB === undefined || maxRecordSizeKiB === RECORD_SIZE_KIB.default) return;
  const hops: [number, string][] = [
    [
      LAMBDA_MAX_RECORD_BYTES,
      "Lambda's 6 MB invocation payload, which carries a record base64-encoded to the ingest function and to consumers",
    ],
    front === "alb"
      ? [ALB_LAMBDA_MAX_REQUEST_BYTES, "the ALB's 1 MB request body to a Lambda target"]
      : [API_GATEWAY_MAX_REQUEST_BYTES, "API Gateway's 10 MB request payload"],
  ];
  const [limit, what] = hops.reduce((a, b) => (b[0] < a[0] ? b : a));
  const kib = Math.floor(limit / 1024);
  if (maxRecordSizeKiB * 1024 > limit)
    p.say(
      `\`stream.maxRecordSizeKiB\` (${maxRecordSizeKiB}) allows records the stack cannot carry: the largest is ${kib} KiB ` +
        `(${what}); lower it to at most ${Math.max(RECORD_SIZE_KIB.min, kib)}`,
    );
}
