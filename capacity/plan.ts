/**
 * The capacity plan of a traffic: shards and the bill of each capacity mode, the consumer settings that keep
 * up, and what to watch (`kinesis-ingest plan` prints it; `--json` prints this object).
 */
import { PRICE_UNITS, type KinesisRegionPrices, type Price, type PriceSource } from "../semantics/kinesis-pricing";
import { ON_DEMAND_INITIAL_WRITE, onDemandMaxWriteBytesPerSecond } from "../semantics/stream-capacity";
import { consumerSettings, type ConsumerSettings } from "./consumers";
import { onDemandAdvantageCost, onDemandStandardCost, provisionedCost, type AdvantageCost } from "./cost";
import { peakBytesPerSecond, shardsFor } from "./shards";
import type { CostLine, Readers, Traffic } from "./types";
import { planWarnings } from "./warnings";

/** What to plan for. */
export interface PlanInput {
  readonly traffic: Traffic;
  readonly readers: Readers;
  readonly region: string;
  readonly prices: KinesisRegionPrices;
  readonly recordMs?: number;
  /** The consumers' function timeout. */
  readonly timeoutSeconds: number;
  /** Today, to say how old the prices are. */
  readonly now: Date;
}

/** A price source and its age: whole days from its date to today, or null when the page shows no date. */
export interface DatedSource extends PriceSource {
  readonly daysOld: number | null;
}

/** The plan (`--json` prints exactly this). */
export interface CapacityPlan {
  readonly input: {
    readonly rate: number;
    readonly peak: number;
    readonly recordBytes: number;
    readonly consumers: number;
    readonly efo: boolean;
  };
  readonly provisioned: {
    readonly shards: number;
    readonly aggregatedShards: number;
    readonly monthlyUsd: number;
    readonly aggregatedMonthlyUsd: number;
    readonly shardsFor: { readonly writeBytes: number; readonly writeRecords: number; readonly reads: number };
    readonly lines: readonly CostLine[];
    readonly aggregatedLines: readonly CostLine[];
  };
  readonly onDemandStandard: {
    readonly monthlyUsd: number;
    readonly peakWriteMiBps: number;
    readonly newStreamWriteMiBps: number;
    readonly maxWriteMiBps: number;
    readonly lines: readonly CostLine[];
  };
  readonly onDemandAdvantage: AdvantageCost;
  readonly consumers: ConsumerSettings & {
    readonly count: number;
    readonly efo: boolean;
    readonly recordMs: number | null;
    readonly timeoutSeconds: number;
    readonly totalLambdaConcurrency: number;
    readonly model: string;
  };
  readonly warnings: readonly string[];
  readonly prices: { readonly region: string; readonly hoursPerMonth: number; readonly sources: readonly DatedSource[] };
}

const MODEL =
  "one batch in flight per shard and parallelization slot; the runtime runs a key's records in order and " +
  "runtimeConcurrency keys at once (keys spread evenly); a batch fits the 6 MB payload and half the timeout";

/** Plans `input`. */
export function planCapacity(input: PlanInput): CapacityPlan {
  const { traffic, readers, prices } = input;
  const need = shardsFor(traffic, readers);
  const provisioned = provisionedCost(traffic, readers, need.shards, prices);
  const aggregated = provisionedCost(traffic, readers, need.aggregatedShards, prices, true);
  const standard = onDemandStandardCost(traffic, readers, prices);
  const consumers = consumerSettings({ traffic, shards: need.shards, recordMs: input.recordMs, timeoutSeconds: input.timeoutSeconds });
  const advantage = onDemandAdvantageCost(standard);
  const mib = (bytes: number) => round(bytes / (1024 * 1024), 3);
  return {
    input: { rate: traffic.rate, peak: traffic.peak, recordBytes: traffic.recordBytes, consumers: readers.consumers, efo: readers.efo },
    provisioned: {
      shards: need.shards,
      aggregatedShards: need.aggregatedShards,
      monthlyUsd: cents(provisioned.monthlyUsd),
      aggregatedMonthlyUsd: cents(aggregated.monthlyUsd),
      shardsFor: { writeBytes: need.forWriteBytes, writeRecords: need.forWriteRecords, reads: need.forReads },
      lines: provisioned.lines.map(roundLine),
      aggregatedLines: aggregated.lines.map(roundLine),
    },
    onDemandStandard: {
      monthlyUsd: cents(standard.monthlyUsd),
      peakWriteMiBps: mib(peakBytesPerSecond(traffic)),
      newStreamWriteMiBps: mib(ON_DEMAND_INITIAL_WRITE.bytesPerSecond),
      maxWriteMiBps: mib(onDemandMaxWriteBytesPerSecond(input.region)),
      lines: standard.lines.map(roundLine),
    },
    onDemandAdvantage: { ...advantage, usageAtMostUsd: cents(advantage.usageAtMostUsd) },
    consumers: {
      count: readers.consumers,
      efo: readers.efo,
      recordMs: input.recordMs ?? null,
      timeoutSeconds: input.timeoutSeconds,
      ...consumers,
      totalLambdaConcurrency: consumers.lambdaConcurrency * readers.consumers,
      model: MODEL,
    },
    warnings: planWarnings({ traffic, readers, need, consumers, recordMs: input.recordMs, region: input.region }),
    prices: { region: input.region, hoursPerMonth: PRICE_UNITS.hoursPerMonth, sources: sourcesOf(prices, input.now) },
  };
}

/** Each distinct page the Region's prices come from, oldest first, with its age at `now`. */
function sourcesOf(prices: KinesisRegionPrices, now: Date): DatedSource[] {
  const all: Price[] = [...Object.values(prices.provisioned), ...Object.values(prices.onDemandStandard)];
  const pages = new Map<string, PriceSource>(all.map((price) => [price.source.page, price.source]));
  const sources = [...pages.values()].sort((a, b) => Number(b.dated) - Number(a.dated) || a.date.localeCompare(b.date));
  return sources.map((source) => ({
    ...source,
    daysOld: source.dated ? Math.floor((now.getTime() - Date.parse(`${source.date}T00:00:00Z`)) / 86_400_000) : null,
  }));
}

function roundLine(line: CostLine): CostLine {
  return { ...line, quantity: round(line.quantity, 3), usd: cents(line.usd) };
}

function cents(usd: number): number {
  return round(usd, 2);
}

function round(n: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(n * scale) / scale;
}
