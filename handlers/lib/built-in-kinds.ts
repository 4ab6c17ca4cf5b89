/**
 * The built-in consumer kinds: the values of a consumer's `handler` that name one, each bundled from its entry
 * `handlers/<kind>.ts`. Every layer keys its part of a kind by this list (`Record<BuiltInKind, …>`), so adding a
 * name here makes `tsc` point at each one left to write: the environment contract (environment/budget.ts), the
 * program's wiring (components/consumer-kinds.ts) and the local function (local/consumer-handlers.ts).
 */
export const BUILT_IN_KINDS = ["forwarder", "archiver", "sqs", "sns", "eventbridge", "stepfunctions"] as const;

export type BuiltInKind = (typeof BUILT_IN_KINDS)[number];

/** Whether `handler` names a built-in kind rather than the path of a user's module. */
export function isBuiltInKind(handler: string | undefined): handler is BuiltInKind {
  return (BUILT_IN_KINDS as readonly (string | undefined)[]).includes(handler);
}
