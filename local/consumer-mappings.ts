/**
 * The local stack's event source mappings, as the program deploys them: one a consumer, reporting its
 * function's physical name, and for a consumer with `replayFrom` a second one through the `replay` alias,
 * starting AT_TIMESTAMP. Its own file because which mappings a stack has, and how they stop, is one concept
 * apart from starting the emulators and servers around them.
 */
import type { StackNames } from "../config/names";
import type { ConsumerConfig } from "../config/types";
import { EventSourceMapping, type EventSourceMappingOptions } from "./esm";
import { FunctionThrottledError, localFunctionArn, type FunctionRegistry } from "./functions";

/** How long shutdown waits for in-flight batches before dropping them (their records are redelivered next time). */
const MAPPING_STOP_TIMEOUT_MS = 2000;

/** What the consumers' mappings read, invoke and report to. */
export interface ConsumerMappingsArgs extends Pick<EventSourceMappingOptions, "kinesis" | "sqs" | "streamName" | "streamArn"> {
  readonly consumers: readonly ConsumerConfig[];
  readonly names: StackNames;
  /** The stack's functions; each consumer's is found by its name. */
  readonly registry: FunctionRegistry;
  /** The URL of consumer `consumer`'s on-failure queue. */
  readonly dlqUrlOf: (consumer: string) => string;
  readonly log: (line: string) => void;
}

/** The started mappings. */
export interface ConsumerMappings {
  /** By consumer name; a replay mapping as `<consumer>:replay`. */
  readonly mappings: ReadonlyMap<string, EventSourceMapping>;
  /** Stops every mapping, waiting at most MAPPING_STOP_TIMEOUT_MS for in-flight batches. */
  stop(): Promise<void>;
}

/** Starts every consumer's mappings. */
export function startConsumerMappings(args: ConsumerMappingsArgs): ConsumerMappings {
  const { log } = args;
  const mappings = new Map<string, EventSourceMapping>();
  const startMapping = (key: string, consumer: ConsumerConfig, functionArn: string): void => {
    const fn = args.registry.find(consumer.name)!;
    const mapping = new EventSourceMapping({
      kinesis: args.kinesis,
      sqs: args.sqs,
      streamName: args.streamName,
      streamArn: args.streamArn,
      consumer,
      functionArn,
      dlqUrl: args.dlqUrlOf(consumer.name),
      invoke: async (event, { requestId }) => fn.invoke(event, requestId),
      onError: (error, during) => {
        if (!(error instanceof FunctionThrottledError)) log(`${key}: ${during}: ${(error as Error).message ?? String(error)}`);
      },
    });
    mapping.start();
    mappings.set(key, mapping);
  };
  for (const consumer of args.consumers) {
    // As deployed: the mapping reports the function's physical name (on-failure records, the events' role).
    const functionArn = localFunctionArn(args.names.consumers[consumer.name]!.function);
    startMapping(consumer.name, consumer, functionArn);
    // As the program does on AWS: `replayFrom` adds a second mapping, through the `replay` alias, starting
    // AT_TIMESTAMP; it keeps reading new records too, until the setting is removed.
    if (consumer.replayFrom !== undefined) {
      const replay = {
        ...consumer,
        startingPosition: "AT_TIMESTAMP" as const,
        startingPositionTimestamp: consumer.replayFrom,
        replayFrom: undefined,
      };
      startMapping(`${consumer.name}:replay`, replay, `${functionArn}:replay`);
      log(
        `note: ${consumer.name} also replays from ${consumer.replayFrom} (replayFrom); its counters are under "${consumer.name}:replay".`,
      );
    }
  }
  return { mappings, stop: () => stopMappings([...mappings.values()]) };
}

async function stopMappings(mappings: readonly EventSourceMapping[]): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, MAPPING_STOP_TIMEOUT_MS).unref());
  await Promise.race([Promise.all(mappings.map((m) => m.stop())), timeout]);
}
