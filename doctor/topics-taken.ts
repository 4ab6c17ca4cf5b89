/**
 * SNS topic names already in use (SNS ListTopics, every page): the alarm topic and the topics the `sns` fan-out
 * consumers without `targetArn` get. CreateTopic with a taken name does not fail: it returns the existing topic
 * when the attributes match, so `pulumi up` would take over another stack's topic and its subscriptions.
 */
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { once, probeNames, type NameProbe } from "./name-probe";
import type { Check } from "./types";

/** One row per topic the stack creates; none when it creates none (no call is made then). */
export const checkTopicsTaken: Check = async (plan, clients) => {
  const names = [...(plan.alarmTopic === undefined ? [] : [plan.alarmTopic]), ...fanoutTopics(plan.fanoutTargets)];
  // The topic ARNs of the Region by name (`arn:aws:sns:<region>:<account>:<name>`).
  const topics = once(async () => {
    const arns = new Map<string, string>();
    let NextToken: string | undefined;
    do {
      const page = await clients.sns.send(new ListTopicsCommand({ NextToken }));
      for (const { TopicArn } of page.Topics ?? []) if (TopicArn) arns.set(TopicArn.split(":").at(-1) ?? "", TopicArn);
      NextToken = page.NextToken;
    } while (NextToken);
    return arns;
  });
  return probeNames(
    names.map((name): NameProbe => ({
      kind: "topic",
      name,
      action: "sns:ListTopics",
      type: "aws:sns/topic:Topic",
      lookup: async () => (await topics()).get(name),
      whenTaken: "`pulumi up` would take it over (CreateTopic returns an existing topic of the same name), subscriptions and all",
    })),
    plan.deployed,
  );
};

function fanoutTopics(targets: readonly { kind: string; name: string }[]): string[] {
  return targets.filter((target) => target.kind === "topic").map((target) => target.name);
}
