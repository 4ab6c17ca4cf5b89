/**
 * A consumer's event source mapping, the main one or the temporary replay one: every knob set explicitly (none
 * left to Lambda's defaults), per-record failure reports, the consumer's on-failure queue as destination.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { MappingConfig, StartingPosition } from "../config/types";
import { MAPPING_METRICS } from "./constants";
import { fixedName } from "./lifecycle";
import type { NodeFunction } from "./node-function";

/** The consumer's settings the mapping takes. */
export interface MappingArgs extends MappingConfig {
  readonly tumblingWindowSeconds: number;
  readonly filterPatterns: readonly string[];
}

/** What differs between the main and the replay mapping. */
export interface MappingSource {
  readonly functionArn: pulumi.Input<string>;
  /** The stream, or the registered enhanced fan-out consumer the mapping subscribes through. */
  readonly eventSourceArn: pulumi.Input<string>;
  readonly startingPosition: StartingPosition;
  readonly startingPositionTimestamp: string | undefined;
  readonly maxRecordAgeSeconds: number;
}

/**
 * What the mapping belongs to: its consumer, the parent (another parent would change the mapping's URN, and so replace
 * it), whose function it invokes and whose on-failure queue takes failed ranges.
 */
export interface MappingOwner {
  readonly parent: pulumi.Resource;
  readonly fn: NodeFunction;
  readonly onFailureArn: pulumi.Input<string>;
}

/** The mapping `resourceName` of `owner`'s function. */
export function eventSourceMapping(
  resourceName: string,
  args: MappingArgs,
  owner: MappingOwner,
  m: MappingSource,
): aws.lambda.EventSourceMapping {
  const tumbling = args.tumblingWindowSeconds;
  const patterns = args.filterPatterns;
  const { startingPosition, startingPositionTimestamp } = m;
  return new aws.lambda.EventSourceMapping(
    resourceName,
    {
      eventSourceArn: m.eventSourceArn,
      functionName: m.functionArn,
      enabled: args.enabled,
      startingPosition,
      startingPositionTimestamp,
      batchSize: args.batchSize,
      maximumBatchingWindowInSeconds: args.batchWindowSeconds,
      parallelizationFactor: args.parallelizationFactor,
      bisectBatchOnFunctionError: args.bisectOnError,
      maximumRecordAgeInSeconds: m.maxRecordAgeSeconds,
      maximumRetryAttempts: args.maxRetryAttempts,
      functionResponseTypes: ["ReportBatchItemFailures"],
      tumblingWindowInSeconds: tumbling > 0 ? tumbling : undefined,
      filterCriteria: patterns.length > 0 ? { filters: patterns.map((pattern) => ({ pattern })) } : undefined,
      destinationConfig: { onFailure: { destinationArn: owner.onFailureArn } },
      // PolledEventCount, FilteredOutEventCount, FailedInvokeEventCount, ...: what the dashboard shows per mapping.
      metricsConfig: { metrics: [...MAPPING_METRICS] },
    },
    // One mapping per function and event source: replaced delete-first, from its starting position (docs/day-2.md).
    fixedName({ parent: owner.parent, dependsOn: [owner.fn] }),
  );
}
