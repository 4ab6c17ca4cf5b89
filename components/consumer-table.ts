/**
 * A DynamoDB table a consumer owns (its `tables` entry): on-demand billing, encrypted at rest, string keys,
 * optional TTL, point-in-time recovery where asked for, and the one statement granting its function
 * read/write on it and nothing else.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ConsumerTable as ConsumerTableConfig } from "../config/types";
import { allow, type PolicyStatement } from "./iam";
import { dataBearing, type LifecycleConfig } from "./lifecycle";

/** Item reads and writes, no table administration (DynamoDB API permissions reference). */
const TABLE_READ_WRITE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];

export interface ConsumerTableArgs extends ConsumerTableConfig {
  /** The table's physical name. */
  readonly tableName: string;
  /** Continuous backups for 35 days (prod stacks). */
  readonly pointInTimeRecovery: boolean;
  /** How the table, which holds the consumer's items, is guarded: a key change cannot replace it silently. */
  readonly lifecycle: LifecycleConfig;
}

export class ConsumerTable extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;
  public readonly name: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: ConsumerTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:ConsumerTable", name, {}, opts);
    this.table = new aws.dynamodb.Table(`${name}-table`, stringKeyTableArgs(args), dataBearing(args.lifecycle, { parent: this }));
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  /** Read/write on this table only. */
  readWriteStatement(label: string): PolicyStatement {
    return allow(`ReadWriteTable${label}`, TABLE_READ_WRITE_ACTIONS, [this.arn]);
  }
}

/**
 * How every table of the stack is declared: string keys, on-demand billing, encrypted at rest, optional TTL
 * and point-in-time recovery. Shared with the idempotency table.
 */
export function stringKeyTableArgs(args: Omit<ConsumerTableArgs, "lifecycle">): aws.dynamodb.TableArgs {
  const keys = args.sortKey === undefined ? [args.partitionKey] : [args.partitionKey, args.sortKey];
  return {
    name: args.tableName,
    billingMode: "PAY_PER_REQUEST",
    hashKey: args.partitionKey,
    rangeKey: args.sortKey,
    attributes: keys.map((key) => ({ name: key, type: "S" })),
    serverSideEncryption: { enabled: true },
    pointInTimeRecovery: { enabled: args.pointInTimeRecovery },
    ttl: args.ttlAttribute === undefined ? undefined : { attributeName: args.ttlAttribute, enabled: true },
  };
}
