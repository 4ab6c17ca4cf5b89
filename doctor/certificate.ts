/**
 * The ALB's HTTPS certificate (ACM DescribeCertificate): a listener can only use a certificate that exists
 * in the stack's region and whose `Status` is `ISSUED` (ACM API reference, CertificateDetail).
 */
import { DescribeCertificateCommand } from "@aws-sdk/client-acm";
import { errorResult, isNamed } from "./aws-error";
import type { Check, CheckResult } from "./types";

const CHECK = "alb certificate";

/** Applies when `api.certificateArn` is set. */
export const checkCertificate: Check = async (plan, clients) => {
  const arn = plan.config.api.certificateArn;
  if (arn === undefined) return [{ check: CHECK, status: "skipped", detail: "no `api.certificateArn`", fix: "" }];
  const arnRegion = arn.split(":")[3];
  if (arnRegion !== plan.region) {
    return [fail(`\`api.certificateArn\` is in ${arnRegion ?? "no region"}, the stack deploys to ${plan.region}`, plan.region)];
  }
  try {
    const { Certificate } = await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    const status = Certificate?.Status ?? "unknown";
    if (status === "ISSUED") return [{ check: CHECK, status: "pass", detail: `${Certificate?.DomainName ?? arn} is ISSUED`, fix: "" }];
    return [
      {
        check: CHECK,
        status: "fail",
        detail: `${Certificate?.DomainName ?? arn} is ${status}, not ISSUED`,
        fix:
          status === "PENDING_VALIDATION"
            ? `complete its validation (the DNS records: aws acm describe-certificate --certificate-arn ${arn} --region ${plan.region})`
            : "request or import a new certificate and set `api.certificateArn` to it",
      },
    ];
  } catch (error) {
    if (isNamed(error, ["ResourceNotFoundException", "InvalidArnException"]))
      return [fail(`\`api.certificateArn\` ${arn}: ${(error as Error).message}`, plan.region)];
    return [errorResult(CHECK, "acm:DescribeCertificate", error)];
  }
};

function fail(detail: string, region: string): CheckResult {
  return { check: CHECK, status: "fail", detail, fix: `set \`api.certificateArn\` to an ISSUED ACM certificate in ${region}` };
}
