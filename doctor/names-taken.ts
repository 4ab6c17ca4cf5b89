/**
 * Physical names already in use (Lambda GetFunction, SQS GetQueueUrl, Kinesis DescribeStreamSummary): a
 * create with a taken name fails. Doctor cannot tell who owns what exists, so an existing name fails the
 * check with both ways out, unless `--deployed` says the stack is already up (they are then its own).
 */
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { errorResult, isNamed } from "./aws-error";
import type { Check, CheckResult, DoctorPlan } from "./types";

interface Probe {
  readonly kind: "function" | "queue" | "stream";
  readonly name: string;
  readonly action: string;
  /** The Pulumi type to `pulumi import` it as. */
  readonly type: string;
  readonly notFound: readonly string[];
  readonly call: () => Promise<unknown>;
}

/** One row per physical name: function, queue and stream names from `config/names.ts`. */
export const checkNamesTaken: Check = async (plan, clients) => {
  const probes: Probe[] = [
    ...plan.functionNames.map((name): Probe => ({
      kind: "function",
      name,
      action: "lambda:GetFunction",
      type: "aws:lambda/function:Function",
      notFound: ["ResourceNotFoundException"],
      call: () => clients.lambda.send(new GetFunctionCommand({ FunctionName: name })),
    })),
    ...queueNames(plan).map((name): Probe => ({
      kind: "queue",
      name,
      action: "sqs:GetQueueUrl",
      type: "aws:sqs/queue:Queue",
      notFound: ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"],
      call: () => clients.sqs.send(new GetQueueUrlCommand({ QueueName: name })),
    })),
    {
      kind: "stream",
      name: plan.names.stream,
      action: "kinesis:DescribeStreamSummary",
      type: "aws:kinesis/stream:Stream",
      notFound: ["ResourceNotFoundException"],
      call: () => clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: plan.names.stream })),
    },
  ];
  const results: CheckResult[] = [];
  for (const probe of probes) results.push(await probeName(probe, plan.deployed));
  return results;
};

function queueNames(plan: DoctorPlan): string[] {
  return Object.values(plan.names.consumers).map((consumer) => consumer.queue);
}

async function probeName(probe: Probe, deployed: boolean): Promise<CheckResult> {
  const check = `${probe.kind} name ${probe.name}`;
  try {
    await probe.call();
  } catch (error) {
    if (isNamed(error, probe.notFound)) return { check, status: "pass", detail: "free", fix: "" };
    return errorResult(check, probe.action, error);
  }
  if (deployed) return { check, status: "pass", detail: "exists (the deployed stack's own, --deployed)", fix: "" };
  return {
    check,
    status: "fail",
    detail: `exists: if it is not this stack's, \`pulumi up\` cannot create it`,
    fix: `rename (another stack name, or consumer name in \`consumers\`) or import it: pulumi import ${probe.type} <resource name> ${probe.name}`,
  };
}
