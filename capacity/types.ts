/** What the capacity planner is asked about: the traffic a stream carries and who reads it. */

/** The traffic to plan for. */
export interface Traffic {
  /** Records per second on average: what the month is billed on. */
  readonly rate: number;
  /** Records per second at the peak: what the stream and its consumers are sized for (≥ `rate`). */
  readonly peak: number;
  /** Bytes of one record as Kinesis counts it: data plus partition key. */
  readonly recordBytes: number;
}

/** The stream's consumers. */
export interface Readers {
  /** How many consumers read every record. */
  readonly consumers: number;
  /** They read through enhanced fan-out (each its own 2 MiB/s per shard) rather than sharing GetRecords. */
  readonly efo: boolean;
}

/** One line of a monthly bill. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}
