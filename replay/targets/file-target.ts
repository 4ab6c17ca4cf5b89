/**
 * `--to-file PATH`: appends one NDJSON line per user record (KPL aggregates unpacked). The replay checkpoints the file length with the
 * shard positions, and on resume cuts the file back to it, so a killed replay leaves no line twice.
 */
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { toReplayFileLines } from "./ndjson";
import type { ReplayTarget } from "./target";

/**
 * Opens (creating) the file, positioned at its end. The replay then calls `rewindTo(0)` for a new replay,
 * which empties it, or `rewindTo(checkpointed length)` when resuming; redrive appends.
 */
export function fileTarget(filePath: string): ReplayTarget {
  // Not O_APPEND: positional writes must land at `length`, which `rewindTo` may move back.
  const fd = openSync(filePath, constants.O_RDWR | constants.O_CREAT, 0o644);
  let length = fstatSync(fd).size;
  return {
    description: `file:${filePath}`,
    async deliver(records) {
      const text = records
        .flatMap(toReplayFileLines)
        .map((line) => line + "\n")
        .join("");
      const bytes = Buffer.from(text, "utf8");
      // Synchronous on purpose: the line and the length the checkpoint records can never disagree.
      writeSync(fd, bytes, 0, bytes.length, length);
      length += bytes.length;
      return { failed: [] };
    },
    position: () => length,
    async rewindTo(position) {
      length = position;
      ftruncateSync(fd, position);
    },
    async close() {
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}
