/**
 * Where a stack's ARNs may point (docs/aws-semantics.md#partitions-and-regions):
 * - the `aws` partition only, for the stack's Region and for every ARN the stack file names (a fan-out
 *   `targetArn`, `api.certificateArn`, a consumer's `permissions` resources): the program, the handlers and the
 *   tools write `arn:aws:…` ARNs, `….amazonaws.com` hosts and service principals, which another partition
 *   (`aws-cn`, `aws-us-gov`, …) does not answer to, so a stack there would plan and then fail or misbehave;
 * - a fan-out `targetArn` (or a `stepfunctions` consumer's state machine) in the stack's own Region: the fan-out functions' SDK clients take their Region from
 *   the function's environment (`AWS_REGION`) and sign every call for it.
 */
import { partitionOfArn, partitionOfRegion, regionOfArn, SUPPORTED_PARTITION } from "../semantics/partitions";
import type { Problems } from "./rules";
import type { ConsumerConfig } from "./types";

const WHY_AWS_ONLY = `kinesis-ingest deploys to the ${SUPPORTED_PARTITION} partition only (it writes arn:${SUPPORTED_PARTITION}:… ARNs and ….amazonaws.com hosts)`;

/** Records a problem when `arn`, at `path`, is in another partition; returns whether it is in `aws`. */
export function checkArnPartition(p: Problems, path: string, arn: string): boolean {
  const partition = partitionOfArn(arn);
  if (partition === SUPPORTED_PARTITION) return true;
  p.say(`\`${path}\` is in partition ${partition ?? "(none)"}, got ${JSON.stringify(arn)}: ${WHY_AWS_ONLY}`);
  return false;
}

/**
 * The rules that need the stack's Region (`aws:region`, or the environment's): the Region is in the `aws`
 * partition, and every fan-out `targetArn` is in that Region.
 */
export function checkStackRegion(
  p: Problems,
  region: string,
  consumers: readonly Pick<ConsumerConfig, "name" | "fanout" | "stepFunctions">[],
): void {
  const partition = partitionOfRegion(region);
  if (partition !== SUPPORTED_PARTITION) {
    p.say(
      `the stack's Region \`aws:region\` ${region} is ${partition ? `in partition ${partition}` : "not a known Region"}: ${WHY_AWS_ONLY}`,
    );
    return;
  }
  for (const consumer of consumers) {
    // A state machine too: the stepfunctions function's SFN client is made for its own Region as well.
    const targetArn = consumer.fanout?.targetArn ?? consumer.stepFunctions?.targetArn;
    const targetRegion = targetArn === undefined ? undefined : regionOfArn(targetArn);
    if (targetRegion === undefined || targetRegion === region) continue;
    p.say(
      `\`consumers.${consumer.name}.targetArn\` is in Region ${targetRegion}, and the stack deploys to ${region}: the function's ` +
        `SDK client is made for its own Region (AWS_REGION) and cannot publish there; name a queue, topic or bus in ${region}, ` +
        `or remove \`targetArn\` to let the stack create one (forward to ${targetRegion} from there, e.g. an EventBridge rule targeting a bus in ${targetRegion})`,
    );
  }
}

/**
 * A layer and a function's KMS key in the stack's Region: Lambda attaches layers of the function's own Region
 * only, and a KMS key belongs to one Region (Lambda refuses a key of another). Only in the `aws` partition:
 * another one is refused once by {@link checkStackRegion}.
 */
export function checkFunctionArnRegions(
  p: Problems,
  region: string,
  api: { readonly kmsKeyArn?: string },
  consumers: readonly Pick<ConsumerConfig, "name" | "layers" | "kmsKeyArn">[],
): void {
  if (partitionOfRegion(region) !== SUPPORTED_PARTITION) return;
  const arns: [string, string | undefined][] = [
    ["api.kmsKeyArn", api.kmsKeyArn],
    ...consumers.flatMap((c): [string, string | undefined][] => [
      ...(c.layers ?? []).map((arn, i): [string, string] => [`consumers.${c.name}.layers[${i}]`, arn]),
      [`consumers.${c.name}.kmsKeyArn`, c.kmsKeyArn],
    ]),
  ];
  for (const [path, arn] of arns) {
    const arnRegion = arn === undefined ? undefined : regionOfArn(arn);
    if (arnRegion === undefined || arnRegion === region) continue;
    p.say(
      `\`${path}\` is in Region ${arnRegion}, and the stack deploys to ${region}, got ${JSON.stringify(arn)}: a function takes layers and ` +
        `KMS keys of its own Region only; publish the layer version (or create or replicate the key) in ${region}`,
    );
  }
}
