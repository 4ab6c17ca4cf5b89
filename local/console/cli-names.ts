/**
 * The names and endpoints a user types into the AWS CLI against the local stack, one group per service:
 * its endpoint, the stack's resources there, and one command to start from. Drawn from `/_local/status`.
 */
import { LOCAL_REGION } from "../emulators";
import type { LocalStatus } from "../server";

/** One service of the local stack. */
export interface CliNameGroup {
  /** The service and what serves it locally, e.g. `Kinesis (kinesalite)`. */
  readonly service: string;
  readonly endpoint: string;
  /** Its resources: what each is, and the name, URL or id to pass. */
  readonly names: ReadonlyArray<{ readonly what: string; readonly value: string }>;
  /** A command to try, endpoint included. */
  readonly example: string;
}

/** The environment every command needs: any credentials, the local Region. */
export const CLI_ENVIRONMENT = `AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=${LOCAL_REGION}`;

/** The groups, in the order a pipeline runs: stream, functions, queues and topics, buckets, tables, secrets. */
export function cliNames(status: LocalStatus, url: string): CliNameGroup[] {
  const aws = (endpoint: string) => `aws --endpoint-url ${endpoint}`;
  const groups: CliNameGroup[] = [];
  const firstQueue = Object.values(status.queues)[0];
  groups.push({
    service: `Kinesis (${status.kinesisEmulator}${status.limits ? ", through the limits proxy" : ""})`,
    endpoint: status.kinesisEndpoint,
    names: [
      { what: "stream", value: status.streamName },
      { what: "stream ARN", value: status.streamArn },
    ],
    example: `${aws(status.kinesisEndpoint)} kinesis list-shards --stream-name ${status.streamName}`,
  });
  groups.push({
    service: "Lambda (the local Invoke API)",
    endpoint: url,
    names: status.functions.map((name) => ({ what: "function", value: name })),
    example: `${aws(url)} lambda invoke --function-name ingest --cli-binary-format raw-in-base64-out --payload '{}' out.json`,
  });
  const fanout = Object.entries(status.fanoutTargets).flatMap(([consumer, target]) =>
    target.kind === "sqs"
      ? [{ what: `${consumer} publishes to queue`, value: target.queueUrl }]
      : target.kind === "sns"
        ? [
            { what: `${consumer} publishes to topic`, value: target.topicArn },
            { what: `${consumer}'s topic reader queue`, value: target.readerQueueUrl },
          ]
        : [],
  );
  groups.push({
    service: "SQS and SNS (fauxqs)",
    endpoint: status.sqsEndpoint,
    names: [
      ...Object.entries(status.queues).map(([consumer, queue]) => ({ what: `${consumer} on-failure queue`, value: queue })),
      ...fanout,
    ],
    example: firstQueue
      ? `${aws(status.sqsEndpoint)} sqs get-queue-attributes --queue-url ${firstQueue} --attribute-names All`
      : `${aws(status.sqsEndpoint)} sqs list-queues`,
  });
  const buckets = [...new Set(Object.values(status.archives).map((archive) => archive.replace(/^s3:\/\//, "").split("/")[0]!))];
  groups.push({
    service: "S3 (fauxqs, path-style)",
    endpoint: status.s3Endpoint,
    names: [
      ...buckets.map((bucket) => ({ what: "bucket", value: bucket })),
      ...Object.entries(status.archives).map(([consumer, archive]) => ({ what: `${consumer} writes to`, value: archive })),
    ],
    example: `${aws(status.s3Endpoint)} s3 ls${buckets[0] ? ` s3://${buckets[0]}/ --recursive` : ""}`,
  });
  const tables = Object.entries(status.tables).flatMap(([consumer, own]) =>
    Object.entries(own).map(([name, table]) => ({ what: `${consumer} table ${name}`, value: table })),
  );
  groups.push({
    service: "DynamoDB (dynalite)",
    endpoint: status.dynamodbEndpoint,
    names: tables,
    example: `${aws(status.dynamodbEndpoint)} dynamodb list-tables`,
  });
  groups.push({
    service: "Secrets Manager (local)",
    endpoint: status.secretsManagerEndpoint,
    names: status.secrets.map((id) => ({ what: "secret id", value: id })),
    example: `${aws(status.secretsManagerEndpoint)} secretsmanager get-secret-value --secret-id ${status.secrets[0] ?? "ID"}`,
  });
  const buses = Object.values(status.fanoutTargets).flatMap((t) =>
    t.kind === "eventbridge" ? [{ what: "event bus", value: t.eventBusName }] : [],
  );
  if (buses.length > 0) {
    groups.push({
      service: "EventBridge (the PutEvents stand-in)",
      endpoint: status.eventBridgeEndpoint,
      names: buses,
      example: `curl -s ${url}/_local/events`,
    });
  }
  return groups;
}
