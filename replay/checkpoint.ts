/**
 * The replay checkpoint: per shard, the sequence number of the last record handled (delivered, or
 * filtered out) and whether the shard is done, written atomically (temp file, fsync, rename) after every
 * delivered batch. A resumed replay reads each unfinished shard AFTER_SEQUENCE_NUMBER of its entry.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { CheckpointError } from "./errors";

/** One shard's progress. */
export interface ShardCheckpoint {
  /** Last record handled; absent until the shard's first batch. */
  sequenceNumber?: string;
  /** Read to its end (or to the replay's bound). */
  done: boolean;
}

/** The whole file. `scope` pins what the replay was so a different replay cannot resume from it. */
export interface CheckpointState {
  readonly version: 1;
  /** Source stream, start point and filters, as given the first time. */
  readonly scope: CheckpointScope;
  /** The replay's end instant (the stream's tip time at the first start, or `--to`). */
  readonly until: string;
  readonly shards: Record<string, ShardCheckpoint>;
  /** For `--to-file`: the file's length covering exactly the checkpointed records. */
  targetBytes?: number;
}

/** What identifies a replay. */
export interface CheckpointScope {
  readonly stream: string;
  readonly from: string;
  readonly filters: string;
  readonly target: string;
}

/** Reads and writes one checkpoint file; writes are serialised so concurrent shards never interleave. */
export class CheckpointFile {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  /** The saved state, or `undefined` when the file does not exist yet. */
  async load(): Promise<CheckpointState | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.filePath, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new CheckpointError(`Cannot read checkpoint ${this.filePath}: ${(error as Error).message}`);
    }
    try {
      const state = JSON.parse(text) as CheckpointState;
      if (state.version !== 1 || typeof state.shards !== "object" || typeof state.until !== "string") throw new Error("unknown format");
      return state;
    } catch (error) {
      throw new CheckpointError(`Checkpoint ${this.filePath} is not a replay checkpoint (${(error as Error).message}).`);
    }
  }

  /** Saves a snapshot of `state` atomically; resolves once it is on disk. */
  save(state: CheckpointState): Promise<void> {
    const snapshot = JSON.stringify(state, null, 2) + "\n";
    const write = this.writing.then(() => writeAtomically(this.filePath, snapshot));
    this.writing = write.catch(() => undefined);
    return write;
  }
}

/** Refuses to resume a checkpoint written for another stream, start point, filter set or target. */
export function assertSameScope(saved: CheckpointState, scope: CheckpointScope, filePath: string): void {
  for (const key of Object.keys(scope) as (keyof CheckpointScope)[]) {
    if (saved.scope[key] !== scope[key]) {
      throw new CheckpointError(
        `Checkpoint ${filePath} belongs to another replay: its ${key} is "${saved.scope[key]}", this replay's is "${scope[key]}". ` +
          "Use another --checkpoint file or delete this one.",
      );
    }
  }
}

async function writeAtomically(filePath: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.tmp`);
  const handle = await fs.open(temp, "w");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, filePath);
}
