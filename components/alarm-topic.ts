/**
 * Where alarms go: an SNS topic with an e-mail subscription, encrypted with a customer-managed KMS key whose
 * policy lets CloudWatch use it. The AWS-managed `alias/aws/sns` key cannot be used: its policy does not let
 * CloudWatch alarms call kms:GenerateDataKey/Decrypt, so every alarm action fails ("not authorized to access
 * the SNS topic's encryption key"). The subscriber must confirm the e-mail AWS sends before alarms arrive.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { fixedName } from "./lifecycle";

export interface AlarmTopicArgs {
  /** The address subscribed to every alarm. */
  readonly email: string;
  /** The topic's physical name. */
  readonly topicName: string;
}

export class AlarmTopic extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly topic: aws.sns.Topic;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:observability:AlarmTopic", name, {}, opts);
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the ${args.topicName} SNS topic; usable by CloudWatch alarms`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            // The default key policy: the account administers the key through IAM (without it the key is unmanageable).
            {
              Sid: "AccountAdministersKey",
              Effect: "Allow",
              Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` },
              Action: "kms:*",
              Resource: "*",
            },
            {
              Sid: "CloudWatchAlarmsPublish",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
          ],
        }),
      },
      { parent: this },
    );
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: args.topicName,
        kmsMasterKeyId: this.key.arn,
      },
      // It carries alarms, not data: replaced delete-first (the e-mail subscription is then confirmed again).
      fixedName({ parent: this }),
    );
    new aws.sns.TopicSubscription(
      `${name}-email`,
      {
        topic: this.topic.arn,
        protocol: "email",
        endpoint: args.email,
      },
      { parent: this },
    );
    this.arn = this.topic.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
