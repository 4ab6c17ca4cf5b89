/** What the mocks' answers share (synth/mocks.ts, synth/mocks-fronts.ts). */

export type Values = Record<string, unknown>;
export type Computed = { readonly id: string; readonly outputs: Values };

/** How the fake AWS makes up the values AWS generates. */
export interface GeneratedIds {
  /** The id of a new resource, given the one in AWS's own format (`natural`). */
  readonly resourceId: (name: string, natural: string) => string;
  /** `length` lowercase letters and digits for `seed`: suffixes of generated names, API ids, key values. */
  readonly token: (seed: string, length: number) => string;
  /** A UUID for `seed`. */
  readonly uuid: (seed: string) => string;
}

/** `value` when it is a non-empty string, else `fallback`. */
export function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}
