/**
 * The Kinesis shard quota (Kinesis DescribeLimits): a provisioned stream needs `stream.shards` open shards
 * under the account's `ShardLimit`; an on-demand stream needs room under `OnDemandStreamCountLimit`.
 * An existing stream of the same name is counted as the stack's own (an update keeps its shards).
 */
import { DescribeLimitsCommand, DescribeStreamSummaryCommand, type StreamDescriptionSummary } from "@aws-sdk/client-kinesis";
import { errorResult, isNamed } from "./aws-error";
import type { Check } from "./types";

const CHECK = "kinesis shard quota";

export const checkShardQuota: Check = async (plan, clients) => {
  let limits: { shardLimit: number; openShards: number; onDemand: number; onDemandLimit: number };
  let existing: StreamDescriptionSummary | undefined;
  try {
    const answer = await clients.kinesis.send(new DescribeLimitsCommand({}));
    limits = {
      shardLimit: answer.ShardLimit ?? 0,
      openShards: answer.OpenShardCount ?? 0,
      onDemand: answer.OnDemandStreamCount ?? 0,
      onDemandLimit: answer.OnDemandStreamCountLimit ?? 0,
    };
  } catch (error) {
    return [errorResult(CHECK, "kinesis:DescribeLimits", error)];
  }
  try {
    existing = (await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: plan.names.stream }))).StreamDescriptionSummary;
  } catch (error) {
    if (!isNamed(error, ["ResourceNotFoundException"])) return [errorResult(CHECK, "kinesis:DescribeStreamSummary", error)];
  }
  const { stream } = plan.config;
  if (stream.mode === "on-demand") {
    const alreadyOnDemand = existing?.StreamModeDetails?.StreamMode === "ON_DEMAND";
    const detail = `${limits.onDemand} of ${limits.onDemandLimit} on-demand streams in use`;
    if (alreadyOnDemand || limits.onDemand < limits.onDemandLimit) return [{ check: CHECK, status: "pass", detail, fix: "" }];
    return [
      {
        check: CHECK,
        status: "fail",
        detail: `${detail}: no room for ${plan.names.stream}`,
        fix: "set `stream.mode: provisioned`, delete an unused on-demand stream, or request a higher on-demand stream quota (Service Quotas, Kinesis Data Streams)",
      },
    ];
  }
  const own = existing?.OpenShardCount ?? 0;
  const room = limits.shardLimit - limits.openShards + own;
  const detail =
    `the stream needs ${stream.shards} shards; ${limits.openShards} of ${limits.shardLimit} are open in the account` +
    `${own > 0 ? ` (${own} of them already the stream's)` : ""}`;
  if (stream.shards <= room) return [{ check: CHECK, status: "pass", detail, fix: "" }];
  return [
    {
      check: CHECK,
      status: "fail",
      detail: `${detail}: room for ${Math.max(0, room)}`,
      fix: `lower \`stream.shards\` to at most ${Math.max(0, room)}, set \`stream.mode: on-demand\`, or request a higher shard quota (Service Quotas, Kinesis Data Streams "Shards per Region")`,
    },
  ];
};
