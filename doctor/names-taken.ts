/**
 * Function, queue and stream names already in use (Lambda GetFunction, SQS GetQueueUrl, Kinesis
 * DescribeStreamSummary): the consumers' functions and on-failure queues, the queues the `sqs` fan-out
 * consumers get, the ingest and authorizer functions, the stream. The other fixed names have a check each
 * (tables-taken, topics-taken, buses-taken, log-groups-taken, fan-out-consumers-taken, dashboards-taken). Secrets have no fixed
 * name to be taken: the program leaves them to Pulumi's auto-naming (a random suffix).
 */
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { probeNames, type NameProbe } from "./name-probe";
import type { Check, DoctorPlan } from "./types";

/** One row per physical name: function, queue and stream names from `config/names.ts`. */
export const checkNamesTaken: Check = async (plan, clients) => {
  const probes: NameProbe[] = [
    ...plan.functionNames.map((name): NameProbe => ({
      kind: "function",
      name,
      action: "lambda:GetFunction",
      type: "aws:lambda/function:Function",
      notFound: ["ResourceNotFoundException"],
      lookup: async () => (await clients.lambda.send(new GetFunctionCommand({ FunctionName: name })), name),
    })),
    ...queueNames(plan).map((name): NameProbe => ({
      kind: "queue",
      name,
      action: "sqs:GetQueueUrl",
      type: "aws:sqs/queue:Queue",
      notFound: ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"],
      lookup: async () => (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name })), name),
      whenTaken: "`pulumi up` takes it over when its attributes match (CreateQueue returns the existing queue), and fails otherwise",
    })),
    {
      kind: "stream",
      name: plan.names.stream,
      action: "kinesis:DescribeStreamSummary",
      type: "aws:kinesis/stream:Stream",
      notFound: ["ResourceNotFoundException"],
      lookup: async () => (
        await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: plan.names.stream })),
        plan.names.stream
      ),
    },
  ];
  return probeNames(probes, plan.deployed);
};

/** The on-failure queues, then the fan-out consumers' own queues. */
function queueNames(plan: DoctorPlan): string[] {
  return [
    ...Object.values(plan.names.consumers).map((consumer) => consumer.queue),
    ...plan.fanoutTargets.filter((target) => target.kind === "queue").map((target) => target.name),
  ];
}
