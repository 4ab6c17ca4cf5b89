import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES } from "./types";
import { prop, show, UNKNOWN, type Props } from "./values";

/** Every Kinesis stream is encrypted at rest with KMS (`EventStream`; AWS: https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html). */
export const streamEncrypted: ResourceValidationPolicy = {
  name: "kinesis-stream-encrypted",
  description: "Kinesis streams are encrypted at rest with a KMS key.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.stream) return;
    streamProblems(args.props).forEach((message) => reportViolation(message));
  },
};

function streamProblems(props: Props): string[] {
  const encryptionType = prop(props, "encryptionType");
  if (encryptionType === UNKNOWN) return [];
  if (encryptionType !== "KMS") {
    return [`\`encryptionType\` must be "KMS" so records are encrypted at rest, got ${show(encryptionType)}`];
  }
  const keyId = prop(props, "kmsKeyId");
  if (keyId === UNKNOWN || (typeof keyId === "string" && keyId !== "")) return [];
  return [`\`kmsKeyId\` must name the stream's KMS key (a key ARN, key ID or alias such as "alias/aws/kinesis"), got ${show(keyId)}`];
}
