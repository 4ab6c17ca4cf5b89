import type { Static, TObject } from "@sinclair/typebox";
import { expect } from "chai";
import type { CANARY, OBSERVABILITY } from "../../config/schema/observability";
import type { API } from "../../config/schema/api";
import type { CONSUMER } from "../../config/schema/consumers";
import type { LIFECYCLE } from "../../config/schema/lifecycle";
import type { AUTOSCALING, STREAM } from "../../config/schema/stream";
import type { AutoscalingConfig } from "../../config/autoscaling-settings";
import type { ApiConfig, CanaryConfig, ConsumerConfig, LifecycleConfig, ObservabilityConfig, StreamConfig } from "../../config/types";

// config/types.ts stays hand-written (validated values differ from raw ones: defaults filled in, kind keys
// gathered into `archive`, `fanout`, `stepFunctions`); this file fails `tsc` when a key both declare disagrees.
type Norm<T> = T extends readonly (infer E)[] ? readonly Norm<E>[] : T extends object ? { readonly [K in keyof T]: Norm<T[K]> } : T;
type Same<A, B> = [Norm<A>] extends [Norm<B>] ? ([Norm<B>] extends [Norm<A>] ? true : false) : false;
/** The keys both declare whose types differ (never when they all agree). */
type Mismatches<S extends TObject, C> = {
  [K in keyof Static<S> & keyof C]-?: Same<Exclude<Static<S>[K], undefined>, Exclude<C[K], undefined>> extends true ? never : K;
}[keyof Static<S> & keyof C];
type Agree<S extends TObject, C, Expected = never> = [Mismatches<S, C>] extends [Expected]
  ? [Expected] extends [Mismatches<S, C>]
    ? true
    : false
  : false;

const agreements: Record<string, true> = {
  // `autoscaling` and `canary` are sections of their own, compared below.
  stream: true satisfies Agree<typeof STREAM, StreamConfig, "autoscaling">,
  autoscaling: true satisfies Agree<typeof AUTOSCALING, AutoscalingConfig>,
  api: true satisfies Agree<typeof API, ApiConfig>,
  // A parameter's raw `{type, value}` is one shape; the validated one tells a SecureString (no value) apart.
  consumers: true satisfies Agree<typeof CONSUMER, ConsumerConfig, "parameters">,
  observability: true satisfies Agree<typeof OBSERVABILITY, ObservabilityConfig, "canary">,
  canary: true satisfies Agree<typeof CANARY, CanaryConfig>,
  lifecycle: true satisfies Agree<typeof LIFECYCLE, LifecycleConfig>,
};

describe("config: the schema's types and config/types.ts", () => {
  it("agree on every key both declare (checked by tsc)", () => {
    expect(Object.keys(agreements)).to.have.length(7);
  });
});
