/**
 * The monthly bill of each capacity mode for a traffic, from the dated price table
 * (semantics/kinesis-pricing.ts): a 730-hour month at the average rate, retention within the included 24 hours.
 */
import { ON_DEMAND_ADVANTAGE, PRICE_UNITS, type KinesisRegionPrices, type Price } from "../semantics/kinesis-pricing";
import { MAX_RECORD_BYTES } from "../semantics/limits";
import type { CostLine, Readers, Traffic } from "./types";

const SECONDS_PER_MONTH = PRICE_UNITS.hoursPerMonth * 3600;

/** A mode's bill: its lines and their sum. */
export interface ModeCost {
  readonly monthlyUsd: number;
  readonly lines: readonly CostLine[];
}

/** On-demand Advantage: no bill (its prices are not known), a bound on its usage charges. */
export interface AdvantageCost {
  readonly monthlyUsd: null;
  /** Its per-GB charges are at most this; the minimum throughput commitment comes on top. */
  readonly usageAtMostUsd: number;
  readonly note: string;
}

/**
 * A provisioned stream of `shards` shards. PUT payload units are counted per Kinesis record: per user record,
 * or, `aggregated`, per full aggregate (as many whole records as fit in 1 MiB), the best case of KPL packing.
 */
export function provisionedCost(
  traffic: Traffic,
  readers: Readers,
  shards: number,
  prices: KinesisRegionPrices,
  aggregated = false,
): ModeCost {
  const p = prices.provisioned;
  const unitsPerSecond = aggregated ? aggregatedUnitsPerSecond(traffic) : traffic.rate * putPayloadUnits(traffic.recordBytes);
  const lines = [
    line("shard-hours", shards * PRICE_UNITS.hoursPerMonth, p.shardHour),
    line("PUT payload units (millions)", (unitsPerSecond * SECONDS_PER_MONTH) / 1e6, p.millionPutPayloadUnits),
  ];
  if (readers.efo && readers.consumers > 0) {
    lines.push(
      line("enhanced fan-out consumer-shard-hours", readers.consumers * shards * PRICE_UNITS.hoursPerMonth, p.efoConsumerShardHour),
    );
    lines.push(line("enhanced fan-out GB retrieved", retrievedGb(traffic, readers.consumers), p.efoRetrievalGb));
  }
  return total(lines);
}

/** An On-demand Standard stream: the stream-hour, data in (each record rounded up to 1 KB), data out per consumer. */
export function onDemandStandardCost(traffic: Traffic, readers: Readers, prices: KinesisRegionPrices): ModeCost {
  const p = prices.onDemandStandard;
  const lines = [line("stream-hours", PRICE_UNITS.hoursPerMonth, p.streamHour), line("GB ingested", ingestedGb(traffic), p.ingestGb)];
  if (readers.consumers > 0) {
    const retrieval = readers.efo ? p.efoRetrievalGb : p.retrievalGb;
    lines.push(line(readers.efo ? "enhanced fan-out GB retrieved" : "GB retrieved", retrievedGb(traffic, readers.consumers), retrieval));
  }
  return total(lines);
}

/** On-demand Advantage, bounded from On-demand Standard's per-GB lines (its stream-hour dropped). */
export function onDemandAdvantageCost(standard: ModeCost): AdvantageCost {
  const perGb = standard.lines.filter((l) => l.unit === "GB").reduce((sum, l) => sum + l.usd, 0);
  return {
    monthlyUsd: null,
    usageAtMostUsd: perGb * ON_DEMAND_ADVANTAGE.perGbShareOfStandardAtMost,
    note:
      "no On-demand Advantage price is in the stored pages: AWS's guide says it has no per-stream charge and per-GB " +
      "prices at least 60% below On-demand Standard's, billed with a minimum throughput commitment whose size the pages " +
      "do not give; usageAtMostUsd is Standard's per-GB charges × 0.4, before that commitment",
  };
}

/** PUT payload units of one record: 25 KB chunks, rounded up. */
function putPayloadUnits(recordBytes: number): number {
  return Math.ceil(recordBytes / PRICE_UNITS.putPayloadUnitBytes);
}

function aggregatedUnitsPerSecond(traffic: Traffic): number {
  const perAggregate = Math.max(1, Math.floor(MAX_RECORD_BYTES / traffic.recordBytes));
  return (traffic.rate / perAggregate) * putPayloadUnits(perAggregate * traffic.recordBytes);
}

function ingestedGb(traffic: Traffic): number {
  const rounded = Math.ceil(traffic.recordBytes / PRICE_UNITS.onDemandIngestRoundingBytes) * PRICE_UNITS.onDemandIngestRoundingBytes;
  return (traffic.rate * rounded * SECONDS_PER_MONTH) / PRICE_UNITS.gbBytes;
}

function retrievedGb(traffic: Traffic, consumers: number): number {
  return (consumers * traffic.rate * traffic.recordBytes * SECONDS_PER_MONTH) / PRICE_UNITS.gbBytes;
}

function line(item: string, quantity: number, price: Price): CostLine {
  return { item, quantity, unit: price.per.startsWith("GB") ? "GB" : price.per, usd: quantity * price.usd };
}

function total(lines: CostLine[]): ModeCost {
  return { monthlyUsd: lines.reduce((sum, l) => sum + l.usd, 0), lines };
}
