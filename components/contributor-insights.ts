/**
 * `observability.contributorInsights`: CloudWatch Contributor Insights rules over the functions' JSON logs
 * (docs/aws-semantics.md#contributor-insights). A rule counts one contribution per matching log event, so each
 * rule reads a line that already carries its key:
 *
 * - the ingest function's per-key lines (handlers/lib/contribution-log.ts): top partition keys by records and by
 *   bytes, the keys that make a hot shard;
 * - its per-request outcome lines, which carry the caller: top callers by records;
 * - the consumers' batch summaries (`shardId`, `Records`): the busiest shards as the consumers see them;
 * - the consumers' per-record failure lines (`partitionKey`): the keys that fail most.
 *
 * The consumers log no line per record that succeeds, and the program does not make them: their rules rank
 * shards and failing keys, and the partition-key rankings come from the ingest function.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONTRIBUTOR_INSIGHT_RULES, contributorInsightRuleName, type ContributorInsightRuleKind } from "../config/names";
import { PARTITION_KEY_MESSAGE, REQUEST_OUTCOME_MESSAGES } from "../handlers/lib/contribution-log";
import { fixedName } from "./lifecycle";

/** The consumer runtime's batch summary and failure messages (handlers/lib/consumer/telemetry.ts). */
export const CONSUMER_SUMMARY_MESSAGE = "Kinesis batch processed";
export const CONSUMER_FAILURE_MESSAGE = "Record processing failed";

/** The `Contribution` and `AggregateOn` of one rule, and whose log groups it reads. */
interface RuleSpec {
  readonly title: string;
  readonly source: "ingest" | "consumers";
  /** JSON paths of the contributor's keys: at most 4 (rule syntax). */
  readonly keys: readonly string[];
  /** The `ValueOf` field summed; absent: events are counted. */
  readonly summed?: string;
  readonly messages: readonly string[];
}

const RULES: Readonly<Record<ContributorInsightRuleKind, RuleSpec>> = {
  "partition-keys-by-records": {
    title: "Top partition keys by records sent",
    source: "ingest",
    keys: ["$.partitionKey"],
    summed: "$.records",
    messages: [PARTITION_KEY_MESSAGE],
  },
  "partition-keys-by-bytes": {
    title: "Top partition keys by bytes sent",
    source: "ingest",
    keys: ["$.partitionKey"],
    summed: "$.bytes",
    messages: [PARTITION_KEY_MESSAGE],
  },
  "callers-by-records": {
    title: "Top callers by records",
    source: "ingest",
    keys: ["$.caller"],
    summed: "$.records",
    messages: REQUEST_OUTCOME_MESSAGES,
  },
  "consumer-shards-by-records": {
    title: "Busiest shards by records processed (per consumer)",
    source: "consumers",
    keys: ["$.service", "$.shardId"],
    summed: "$.Records",
    messages: [CONSUMER_SUMMARY_MESSAGE],
  },
  "consumer-failing-partition-keys": {
    title: "Partition keys failing most (per consumer)",
    source: "consumers",
    keys: ["$.service", "$.partitionKey"],
    messages: [CONSUMER_FAILURE_MESSAGE],
  },
};

/**
 * A rule's definition (the rule syntax's JSON): `Sum` of `summed` (`ValueOf`) when it has one, else `Count` of events.
 * @example ruleDefinition("callers-by-records", ["/aws/lambda/kinesis-ingest-dev-ingest"])
 */
function ruleDefinition(rule: ContributorInsightRuleKind, logGroupNames: readonly string[]): string {
  const spec = RULES[rule];
  return JSON.stringify({
    Schema: { Name: "CloudWatchLogRule", Version: 1 },
    LogGroupNames: logGroupNames,
    LogFormat: "JSON",
    Contribution: {
      Keys: spec.keys,
      ...(spec.summed === undefined ? {} : { ValueOf: spec.summed }),
      Filters: [{ Match: "$.message", In: spec.messages }],
    },
    AggregateOn: spec.summed === undefined ? "Count" : "Sum",
  });
}

export interface ContributorInsightsArgs {
  readonly stack: string;
  readonly ingestLogGroup: pulumi.Input<string>;
  /** The consumers' log groups; no consumer rule without any. */
  readonly consumerLogGroups: readonly pulumi.Input<string>[];
}

/** One rule as the dashboard shows it. */
export interface InsightRuleWidget {
  readonly title: string;
  readonly ruleName: string;
}

export class ContributorInsights extends pulumi.ComponentResource {
  /** The rules created, in the dashboard's order. */
  public readonly widgets: readonly InsightRuleWidget[];

  constructor(name: string, args: ContributorInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:observability:ContributorInsights", name, {}, opts);
    const groups = {
      ingest: pulumi.all([args.ingestLogGroup]),
      consumers: pulumi.all([...args.consumerLogGroups]),
    };
    const widgets: InsightRuleWidget[] = [];
    for (const rule of CONTRIBUTOR_INSIGHT_RULES) {
      const spec = RULES[rule];
      if (spec.source === "consumers" && args.consumerLogGroups.length === 0) continue;
      const ruleName = contributorInsightRuleName(args.stack, rule);
      new aws.cloudwatch.ContributorInsightRule(
        `${name}-${rule}`,
        {
          ruleName,
          ruleState: "ENABLED",
          ruleDefinition: groups[spec.source].apply((names) => ruleDefinition(rule, names)),
        },
        // The provider updates a rule in place as a no-op (docs/day-2.md): a changed definition (a consumer added)
        // must replace the rule to reach AWS, and its fixed name must be freed first.
        fixedName({ parent: this, replaceOnChanges: ["ruleDefinition", "ruleState"] }),
      );
      widgets.push({ title: spec.title, ruleName });
    }
    this.widgets = widgets;
    this.registerOutputs({ ruleNames: widgets.map((w) => w.ruleName) });
  }
}
