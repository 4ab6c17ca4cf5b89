/**
 * A consumer's idempotency table (`idempotency: dynamodb`): one item per completed record, key `id` (the
 * record's idempotency key), TTL on `expiresAt`; on-demand, encrypted at rest, and the one statement
 * granting its function the two actions the store uses on it and nothing else.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IDEMPOTENCY_KEY_ATTRIBUTE, IDEMPOTENCY_TTL_ATTRIBUTE } from "../handlers/lib/idempotency/store";
import { stringKeyTableArgs } from "./consumer-table";
import { allow, type PolicyStatement } from "./iam";
import { dataBearing, type LifecycleConfig } from "./lifecycle";

/** What the store sends: one BatchGetItem per 100 keys of a batch, one BatchWriteItem per 25 completions. */
const IDEMPOTENCY_ACTIONS = ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"];

export interface IdempotencyTableArgs {
  /** The table's physical name. */
  readonly tableName: string;
  /** Continuous backups (prod stacks). */
  readonly pointInTimeRecovery: boolean;
  /** How the table, which remembers completed records, is guarded. */
  readonly lifecycle: LifecycleConfig;
}

export class IdempotencyTable extends pulumi.ComponentResource {
  public readonly table: aws.dynamodb.Table;
  public readonly name: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: IdempotencyTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kinesis-ingest:consumer:IdempotencyTable", name, {}, opts);
    const table = { ...args, partitionKey: IDEMPOTENCY_KEY_ATTRIBUTE, ttlAttribute: IDEMPOTENCY_TTL_ATTRIBUTE };
    this.table = new aws.dynamodb.Table(`${name}-table`, stringKeyTableArgs(table), dataBearing(args.lifecycle, { parent: this }));
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  /** BatchGetItem and BatchWriteItem on this table only. */
  statement(): PolicyStatement {
    return allow("IdempotencyStore", IDEMPOTENCY_ACTIONS, [this.arn]);
  }
}
