/**
 * Puts one shard's archive objects back in sequence order. Objects normally hold disjoint ranges, but a
 * batch retried after a bisect or a partial failure can be written again with an overlapping range (and a
 * retry skips records already archived, so an object may hold a range with holes another object fills).
 * Objects whose named ranges overlap are therefore read together and merged record by record; a record
 * found in two objects is yielded once.
 */
import type { ArchiveObject } from "./listing";
import type { ObjectRecord } from "./object-reader";
import { comparePositions } from "./position";

/** An object whose name was read (the listing's `range` is set). */
export type NamedArchiveObject = ArchiveObject & { readonly range: NonNullable<ArchiveObject["range"]> };

/**
 * Sorts one shard's objects by their first record and cuts them into groups: each group's ranges overlap
 * one another (transitively), and every record of a group comes before every record of the next.
 */
export function overlappingGroups(objects: readonly NamedArchiveObject[]): NamedArchiveObject[][] {
  const sorted = [...objects].sort(
    (a, b) => comparePositions(a.range.first, b.range.first) || comparePositions(a.range.last, b.range.last) || a.key.localeCompare(b.key),
  );
  const groups: NamedArchiveObject[][] = [];
  let groupEnd: NamedArchiveObject["range"]["last"] | undefined;
  for (const object of sorted) {
    const current = groups.at(-1);
    if (current !== undefined && groupEnd !== undefined && comparePositions(object.range.first, groupEnd) <= 0) {
      current.push(object);
      if (comparePositions(object.range.last, groupEnd) > 0) groupEnd = object.range.last;
    } else {
      groups.push([object]);
      groupEnd = object.range.last;
    }
  }
  return groups;
}

/** Merges readers each yielding ascending positions into one ascending sequence without repeats. */
export async function* mergeAscending(readers: readonly AsyncIterator<ObjectRecord>[]): AsyncGenerator<ObjectRecord> {
  const heads: (ObjectRecord | undefined)[] = await Promise.all(readers.map(async (reader) => next(reader)));
  try {
    for (;;) {
      let lowest = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head !== undefined && (lowest === -1 || comparePositions(head.position, (heads[lowest] as ObjectRecord).position) < 0))
          lowest = i;
      }
      if (lowest === -1) return;
      const record = heads[lowest] as ObjectRecord;
      yield record;
      // Advance every reader standing on the same record: its copies in overlapping objects.
      for (const [i, reader] of readers.entries()) {
        while (heads[i] !== undefined && comparePositions(heads[i].position, record.position) <= 0) {
          heads[i] = await next(reader);
        }
      }
    }
  } finally {
    await Promise.all(readers.map((reader) => reader.return?.()));
  }
}

async function next(reader: AsyncIterator<ObjectRecord>): Promise<ObjectRecord | undefined> {
  const result = await reader.next();
  return result.done ? undefined : result.value;
}
