/**
 * Where alarms go: an SNS topic (encrypted with the AWS-managed key) with an e-mail subscription. The
 * subscriber must confirm the e-mail AWS sends before alarms arrive.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlarmTopicArgs {
  /** The address subscribed to every alarm. */
  readonly email: string;
  /** The topic's physical name. */
  readonly topicName: string;
}

export class AlarmTopic extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:observability:AlarmTopic", name, {}, opts);
    this.topic = new aws.sns.Topic(`${name}-topic`, {
      name: args.topicName,
      kmsMasterKeyId: "alias/aws/sns",
    }, { parent: this });
    new aws.sns.TopicSubscription(`${name}-email`, {
      topic: this.topic.arn,
      protocol: "email",
      endpoint: args.email,
    }, { parent: this });
    this.arn = this.topic.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
