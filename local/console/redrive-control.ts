/**
 * The console's redrive button: `kinesis-ingest redrive --queue URL --to-function NAME` run in-process, with
 * the same library (replay/redrive.ts) and the same target, which calls the consumer through the local
 * stack's Invoke API as the command does. One run at a time per consumer; its outcome is kept for the page.
 */
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { LambdaClient } from "@aws-sdk/client-lambda";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { runRedrive } from "../../replay/redrive";
import { redriveFunctionTargets } from "../../replay/targets/function-target";
import { LOCAL_REGION } from "../emulators";

/** What the last (or the running) redrive of a queue did. */
export interface RedriveState {
  readonly running: boolean;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Messages the run handled. */
  readonly messages: number;
  /** Of those, deleted: every record delivered (or each still failing one written as a message of its own). */
  readonly deleted: number;
  /** Of those, left in the queue (records that still fail as a range, expired ranges, invalid messages). */
  readonly kept: number;
  /** One-record messages written during the run: by redrive for records that still fail, by the consumer for those it isolated. */
  readonly newMessages: number;
  /** Set when the run itself failed (not a message of it). */
  readonly error?: string;
}

/** Where a redrive reads and delivers. */
export interface RedriveControlDeps {
  readonly sqs: SQSClient;
  readonly kinesis: KinesisClient;
  /** The local stack's URL: its Invoke API is the redrive's target. */
  readonly invokeEndpoint: string;
  /** The on-failure queue URL of a consumer, or undefined for an unknown name. */
  readonly queueOf: (consumer: string) => string | undefined;
}

/** Starts redrives and remembers how each consumer's last one went. */
export class RedriveControl {
  private readonly states = new Map<string, RedriveState>();
  private readonly lambda: LambdaClient;

  constructor(private readonly deps: RedriveControlDeps) {
    this.lambda = new LambdaClient({
      endpoint: deps.invokeEndpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  }

  /** The last (or running) redrive of `consumer`'s queue, if any. */
  stateOf(consumer: string): RedriveState | undefined {
    return this.states.get(consumer);
  }

  /** Whether a redrive of `consumer`'s queue is under way. */
  running(consumer: string): boolean {
    return this.states.get(consumer)?.running === true;
  }

  /**
   * Redrives every message of `consumer`'s queue to its function, once each; resolves with the outcome.
   * @throws Error for an unknown consumer, or when a redrive of its queue is already running
   */
  async redrive(consumer: string): Promise<RedriveState> {
    const queueUrl = this.deps.queueOf(consumer);
    if (queueUrl === undefined) throw new Error(`No consumer is named "${consumer}".`);
    if (this.running(consumer)) throw new Error(`A redrive of ${consumer}'s on-failure queue is already running.`);
    const startedAt = new Date().toISOString();
    const counts = { messages: 0, deleted: 0, kept: 0, newMessages: 0 };
    this.states.set(consumer, { running: true, startedAt, ...counts });
    let error: string | undefined;
    try {
      await runRedrive({
        sqs: this.deps.sqs,
        kinesis: this.deps.kinesis,
        queueUrl,
        waitSeconds: 0,
        targetFor: redriveFunctionTargets({ lambda: this.lambda, functionName: consumer, region: LOCAL_REGION }),
        onOutcome: (outcome) => {
          counts.messages++;
          if (outcome.deleted) counts.deleted++;
          else counts.kept++;
          counts.newMessages += outcome.newMessageIds?.length ?? 0;
          this.states.set(consumer, { running: true, startedAt, ...counts });
        },
      });
    } catch (caught) {
      error = (caught as Error).message ?? String(caught);
    }
    const state: RedriveState = { running: false, startedAt, finishedAt: new Date().toISOString(), ...counts, ...(error ? { error } : {}) };
    this.states.set(consumer, state);
    return state;
  }

  stop(): void {
    this.lambda.destroy();
  }
}
