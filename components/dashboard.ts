/**
 * One CloudWatch dashboard for the pipeline: stream traffic and throttling, the ingest function, and per
 * consumer its iterator age, errors and on-failure queue depth.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PipelineDashboardArgs {
  /** The dashboard's physical name. */
  readonly dashboardName: string;
  /** The AWS region the metrics live in. */
  readonly region: pulumi.Input<string>;
  readonly streamName: pulumi.Input<string>;
  readonly ingestFunctionName: pulumi.Input<string>;
  /** Per consumer: its function and on-failure queue names. @default [] */
  readonly consumers?: readonly { readonly name: string; readonly functionName: pulumi.Input<string>; readonly queueName: pulumi.Input<string> }[];
}

type Metric = (string | { stat: string })[];

interface Widget {
  type: "metric";
  width: number;
  height: number;
  properties: { title: string; region: string; metrics: Metric[]; view: "timeSeries"; period: number };
}

export class PipelineDashboard extends pulumi.ComponentResource {
  public readonly dashboard: aws.cloudwatch.Dashboard;

  constructor(name: string, args: PipelineDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:observability:PipelineDashboard", name, {}, opts);
    const consumers = args.consumers ?? [];
    const body = pulumi
      .all([
        pulumi.output(args.region), pulumi.output(args.streamName), pulumi.output(args.ingestFunctionName),
        pulumi.all(consumers.map((c) => pulumi.all([c.name, c.functionName, c.queueName]))),
      ])
      .apply(([region, stream, ingest, consumerNames]) => {
        const widget = (title: string, metrics: Metric[]): Widget => ({
          type: "metric", width: 12, height: 6, properties: { title, region, metrics, view: "timeSeries", period: 60 },
        });
        const widgets: Widget[] = [
          widget("Stream writes", [
            ["AWS/Kinesis", "IncomingRecords", "StreamName", stream, { stat: "Sum" }],
            ["AWS/Kinesis", "WriteProvisionedThroughputExceeded", "StreamName", stream, { stat: "Sum" }],
          ]),
          widget("Stream iterator age (ms)", [["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", stream, { stat: "Maximum" }]]),
          widget("Ingest function", [
            ["AWS/Lambda", "Invocations", "FunctionName", ingest, { stat: "Sum" }],
            ["AWS/Lambda", "Errors", "FunctionName", ingest, { stat: "Sum" }],
            ["AWS/Lambda", "Throttles", "FunctionName", ingest, { stat: "Sum" }],
          ]),
        ];
        for (const [consumer, fn, queue] of consumerNames) {
          widgets.push(widget(`Consumer ${consumer}`, [
            ["AWS/Lambda", "IteratorAge", "FunctionName", fn, { stat: "Maximum" }],
            ["AWS/Lambda", "Errors", "FunctionName", fn, { stat: "Sum" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { stat: "Maximum" }],
          ]));
        }
        return JSON.stringify({ widgets });
      });
    this.dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
      dashboardName: args.dashboardName,
      dashboardBody: body,
    }, { parent: this });
    this.registerOutputs({ dashboardName: this.dashboard.dashboardName });
  }
}
