/** The plan as text for a terminal: one block per capacity mode, the consumers, the warnings, the prices' pages and age. */
import type { CapacityPlan } from "./plan";
import type { StackVerdict, Verdict } from "./stack-check";
import type { CostLine } from "./types";

/** The plan (and the stack's verdict) as the lines `kinesis-ingest plan` prints. */
export function renderPlan(plan: CapacityPlan, stack?: StackVerdict): string {
  const { input, provisioned: p, onDemandStandard: s, onDemandAdvantage: a, consumers: c } = plan;
  const readers =
    input.consumers === 0
      ? "no consumers"
      : `${input.consumers} consumer${input.consumers === 1 ? "" : "s"} (${input.efo ? "enhanced fan-out" : "shared throughput"})`;
  const out = [
    `Plan for ${num(input.rate)} records/s (peak ${num(input.peak)}) of ${num(input.recordBytes)} bytes, ${readers}, in ${plan.prices.region}`,
    "",
    `Provisioned: ${p.shards} shard${p.shards === 1 ? "" : "s"} (writes: ${p.shardsFor.writeBytes} for bytes, ${p.shardsFor.writeRecords} for records; reads: ${p.shardsFor.reads}), ${usd(p.monthlyUsd)}/month`,
    ...lines(p.lines),
    `  with KPL aggregation: ${p.aggregatedShards} shard${p.aggregatedShards === 1 ? "" : "s"} (bytes only), ${usd(p.aggregatedMonthlyUsd)}/month (full 1 MiB aggregates)`,
    `On-demand Standard: peak ${num(s.peakWriteMiBps)} MiB/s written (a new stream writes ${num(s.newStreamWriteMiBps)}, at most ${num(s.maxWriteMiBps)}), ${usd(s.monthlyUsd)}/month`,
    ...lines(s.lines),
    `On-demand Advantage: not priced; usage at most ${usd(a.usageAtMostUsd)}/month plus its minimum throughput commitment`,
    `  (${a.note})`,
    "",
    consumerLine(plan),
    `  model: ${c.model}`,
  ];
  if (plan.warnings.length > 0) out.push("", "Warnings:", ...plan.warnings.map((w) => `  - ${w}`));
  out.push("", `Prices for ${plan.prices.region}, a month of ${plan.prices.hoursPerMonth} hours, read from:`);
  for (const source of plan.prices.sources) {
    const age = source.daysOld === null ? `no date shown, read ${source.date}` : `dated ${source.date}, ${num(source.daysOld)} days old`;
    out.push(`  - ${source.about} (${age}): ${source.page}`);
  }
  if (stack) out.push("", ...renderStack(stack));
  return `${out.join("\n")}\n`;
}

function consumerLine({ consumers: c }: CapacityPlan): string {
  if (c.count === 0) return "Consumers: none";
  const each = `Lambda concurrency ${num(c.lambdaConcurrency)} each (${num(c.totalLambdaConcurrency)} in all)`;
  if (c.recordMs === null) {
    return `Consumers: pass --record-ms for the parallelization factor; batch size at most ${num(c.batchSize)} (the 6 MB payload), ${each} at factor 1`;
  }
  const verdict = c.keepsUp ? "keep up" : `fall behind (need ${c.shardsToKeepUp ?? "?"} shards)`;
  return (
    `Consumers at ${num(c.recordMs)} ms a record ${verdict}: parallelization factor ${c.parallelizationFactor}, ` +
    `batch size at most ${num(c.batchSize)} (payload ${num(c.maxBatchByPayload)}, half the ${c.timeoutSeconds} s timeout ${num(c.maxBatchByTimeout ?? 0)}), ${each}`
  );
}

function renderStack(stack: StackVerdict): string[] {
  const head = `Stack ${stack.name} (${stack.mode}${stack.mode === "provisioned" ? `, ${stack.shards} shard${stack.shards === 1 ? "" : "s"}` : ""}): ${stack.keepsUp ? "keeps up" : "does NOT keep up"}`;
  return [head, ...verdict("stream", stack.stream), ...stack.consumers.flatMap((c) => verdict(`consumer ${c.name}`, c))];
}

function verdict(what: string, v: Verdict): string[] {
  const word = v.keepsUp === null ? "not judged" : v.keepsUp ? "keeps up" : "does NOT keep up";
  return [`  ${what}: ${word}`, ...v.detail.map((d) => `    ${d}`)];
}

function lines(costs: readonly CostLine[]): string[] {
  return costs.map((l) => `  ${num(l.quantity)} ${l.item}: ${usd(l.usd)}`);
}

function num(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

function usd(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
