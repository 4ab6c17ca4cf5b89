/**
 * One CloudWatch dashboard for the pipeline: stream traffic and throttling, the ingest function, and per
 * consumer its iterator age, errors and on-failure queue depth, and what each of its event source mappings
 * polled, filtered out, failed to invoke, dropped and sent to the on-failure queue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InsightRuleWidget } from "./contributor-insights";

export interface PipelineDashboardArgs {
  /** The dashboard's physical name. */
  readonly dashboardName: string;
  /** The AWS region the metrics live in. */
  readonly region: pulumi.Input<string>;
  readonly streamName: pulumi.Input<string>;
  readonly ingestFunctionName: pulumi.Input<string>;
  /** Per consumer: its function and on-failure queue names, and its mappings' UUIDs. @default [] */
  readonly consumers?: readonly DashboardConsumer[];
  /** Contributor Insights rules (`observability.contributorInsights`), a widget each. @default [] */
  readonly insightRules?: readonly InsightRuleWidget[];
}

/** One consumer's entry on the dashboard. */
export interface DashboardConsumer {
  readonly name: string;
  readonly functionName: pulumi.Input<string>;
  readonly queueName: pulumi.Input<string>;
  /** Its event source mappings (the main one, and the replay one while it exists). */
  readonly mappingUuids: readonly pulumi.Input<string>[];
}

/**
 * The `EventCount` metrics a mapping with `metricsConfig` emits, by its `EventSourceMappingUUID`
 * (docs/aws-semantics.md#event-source-mapping-metrics).
 */
const MAPPING_EVENT_METRICS = [
  "PolledEventCount",
  "FilteredOutEventCount",
  "FailedInvokeEventCount",
  "DroppedEventCount",
  "OnFailureDestinationDeliveredEventCount",
] as const;

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
        pulumi.output(args.region),
        pulumi.output(args.streamName),
        pulumi.output(args.ingestFunctionName),
        pulumi.all(consumers.map((c) => pulumi.all([c.name, c.functionName, c.queueName, pulumi.all([...c.mappingUuids])]))),
      ])
      .apply(([region, stream, ingest, consumerNames]) => {
        const widget = (title: string, metrics: Metric[]): Widget => ({
          type: "metric",
          width: 12,
          height: 6,
          properties: { title, region, metrics, view: "timeSeries", period: 60 },
        });
        const widgets: Widget[] = [
          widget("Stream writes", [
            ["AWS/Kinesis", "IncomingRecords", "StreamName", stream, { stat: "Sum" }],
            ["AWS/Kinesis", "WriteProvisionedThroughputExceeded", "StreamName", stream, { stat: "Sum" }],
          ]),
          widget("Stream iterator age (ms)", [
            ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", stream, { stat: "Maximum" }],
          ]),
          widget("Ingest function", [
            ["AWS/Lambda", "Invocations", "FunctionName", ingest, { stat: "Sum" }],
            ["AWS/Lambda", "Errors", "FunctionName", ingest, { stat: "Sum" }],
            ["AWS/Lambda", "Throttles", "FunctionName", ingest, { stat: "Sum" }],
          ]),
        ];
        for (const [consumer, fn, queue, uuids] of consumerNames) {
          widgets.push(
            widget(`Consumer ${consumer}`, [
              ["AWS/Lambda", "IteratorAge", "FunctionName", fn, { stat: "Maximum" }],
              ["AWS/Lambda", "Errors", "FunctionName", fn, { stat: "Sum" }],
              ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { stat: "Maximum" }],
            ]),
          );
          widgets.push(
            widget(
              `Consumer ${consumer} mapping events`,
              uuids.flatMap((uuid) =>
                MAPPING_EVENT_METRICS.map((metric): Metric => ["AWS/Lambda", metric, "EventSourceMappingUUID", uuid, { stat: "Sum" }]),
              ),
            ),
          );
        }
        // A metric widget with `insightRule` graphs a rule's top contributors (dashboard body structure).
        const insightWidgets = (args.insightRules ?? []).map(({ title, ruleName }) => ({
          type: "metric",
          width: 12,
          height: 6,
          properties: { title, region, insightRule: { maxContributorCount: 10, orderBy: "Sum", ruleName }, view: "timeSeries", period: 60 },
        }));
        return JSON.stringify({ widgets: [...widgets, ...insightWidgets] });
      });
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: args.dashboardName,
        dashboardBody: body,
      },
      { parent: this },
    );
    this.registerOutputs({ dashboardName: this.dashboard.dashboardName });
  }
}
