/** `kinesis-ingest:lifecycle`: how the stack guards its data-bearing resources (docs/day-2.md#data-bearing-resources). */
import { flag, section } from "./kit";

export const LIFECYCLE = section(
  {
    // No `default`: it depends on the stack's name, which JSON Schema cannot see (config/lifecycle-settings.ts).
    protect: flag({
      description:
        "Pulumi's protect on every data-bearing resource: deleting or replacing one fails until this is off. Default: true for the stack named prod, false otherwise.",
    }),
  },
  { description: "How the stack guards its data-bearing resources." },
);
