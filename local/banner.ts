/**
 * The start-up banner's warnings: what a local run does that a newcomer would not guess from the stack
 * file alone — a sink that refuses records on purpose, and consumers that deliver to real downstream URLs.
 */

/** What the notes are drawn from. */
export interface BannerInput {
  /** Consumer name → the URL its forwarder delivers to. */
  readonly targets: Readonly<Record<string, string>>;
  /** The built-in sink's URL (`…/_local/sink`). */
  readonly sinkUrl: string;
  /** `FORWARD_URL`; undefined when unset. */
  readonly forwardUrl: string | undefined;
  /** `SINK_REJECT_FIELD`; undefined when unset. */
  readonly sinkRejectField: string | undefined;
}

/**
 * One line per thing to know, each starting with `note:`.
 *
 * @example
 * startupNotes({ targets: { forwarder: "https://events.example.com" }, sinkUrl, forwardUrl: undefined, sinkRejectField: undefined }) // ["note: forwarder delivers to https://events.example.com …"]
 */
export function startupNotes(input: BannerInput): string[] {
  const notes: string[] = [];
  if (input.sinkRejectField !== undefined) {
    notes.push(
      `note: SINK_REJECT_FIELD=${input.sinkRejectField}: the sink refuses (422) every record whose data has "${input.sinkRejectField}": true, to exercise the on-failure path`,
    );
  }
  if (input.forwardUrl === undefined) {
    for (const [consumer, target] of Object.entries(input.targets)) {
      if (target === input.sinkUrl) continue;
      notes.push(
        `note: ${consumer} delivers to ${target}, its targetUrl in the stack file: local records reach that real downstream; set FORWARD_URL (e.g. FORWARD_URL=${input.sinkUrl}) to deliver elsewhere`,
      );
    }
  }
  return notes;
}
