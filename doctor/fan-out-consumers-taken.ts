/**
 * Enhanced fan-out consumer names already registered on the stream (Kinesis DescribeStreamSummary, then
 * ListStreamConsumers, every page): `stream.fanOutConsumers` and the replays' own `<fanOutConsumer>-replay`.
 * RegisterStreamConsumer with a taken name fails (`ResourceInUseException`). A stream that does not exist yet
 * has none.
 */
import { DescribeStreamSummaryCommand, ListStreamConsumersCommand } from "@aws-sdk/client-kinesis";
import { isNamed } from "./aws-error";
import { once, probeNames, type NameProbe } from "./name-probe";
import type { Check, DoctorClients } from "./types";

/** One row per registered consumer the stack creates; none (and no call) when it registers none. */
export const checkFanOutConsumersTaken: Check = async (plan, clients) => {
  const registered = once(() => registeredConsumers(clients, plan.names.stream));
  return probeNames(
    plan.fanOutConsumerNames.map((name): NameProbe => ({
      kind: "fan-out consumer",
      name,
      action: "kinesis:DescribeStreamSummary and kinesis:ListStreamConsumers",
      type: "aws:kinesis/streamConsumer:StreamConsumer",
      lookup: async () => (await registered()).get(name),
    })),
    plan.deployed,
  );
};

/** The consumer ARNs registered on stream `streamName` by name; none when the stream does not exist. */
async function registeredConsumers(clients: DoctorClients, streamName: string): Promise<Map<string, string>> {
  const consumers = new Map<string, string>();
  let StreamARN: string | undefined;
  try {
    StreamARN = (await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary
      ?.StreamARN;
  } catch (error) {
    if (isNamed(error, ["ResourceNotFoundException"])) return consumers;
    throw error;
  }
  let NextToken: string | undefined;
  do {
    const page = await clients.kinesis.send(new ListStreamConsumersCommand({ StreamARN, NextToken }));
    for (const { ConsumerName, ConsumerARN } of page.Consumers ?? [])
      if (ConsumerName && ConsumerARN) consumers.set(ConsumerName, ConsumerARN);
    NextToken = page.NextToken;
  } while (NextToken);
  return consumers;
}
