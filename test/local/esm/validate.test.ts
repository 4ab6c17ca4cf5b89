/** The engine's settings check: Lambda's ranges from `semantics/event-source-mapping.ts`, and the engine's own leeway for scaled-down time. */
import { expect } from "chai";
import { validateMappingSettings } from "../../../local/esm/validate";
import type { MappingSettings } from "../../../local/esm/types";

const VALID: MappingSettings = {
  batchSize: 100,
  batchWindowSeconds: 0,
  startingPosition: "LATEST",
  parallelizationFactor: 1,
  bisectOnError: true,
  maxRecordAgeSeconds: 3600,
  maxRetryAttempts: 3,
  enabled: true,
};

function problemOf(extra: Partial<MappingSettings>): string | undefined {
  try {
    validateMappingSettings({ ...VALID, ...extra });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("local/esm: validateMappingSettings", () => {
  const rules: [string, Partial<MappingSettings>, string][] = [
    ["batch size 10001", { batchSize: 10_001 }, "`batchSize` must be an integer from 1 to 10000, got 10001"],
    ["batching window 301", { batchWindowSeconds: 301 }, "`batchWindowSeconds` must be from 0 to 300, got 301"],
    ["parallelization factor 11", { parallelizationFactor: 11 }, "`parallelizationFactor` must be an integer from 1 to 10, got 11"],
    ["retries -2", { maxRetryAttempts: -2 }, "`maxRetryAttempts` must be -1 or an integer from 0 to 10000, got -2"],
    ["record age 0", { maxRecordAgeSeconds: 0 }, "`maxRecordAgeSeconds` must be -1 or a positive number of seconds, got 0"],
    [
      "tumbling window 901",
      { tumblingWindowSeconds: 901 },
      "`tumblingWindowSeconds` must be an integer from 0 to 900 (0: no window), got 901",
    ],
  ];
  for (const [rule, extra, message] of rules) {
    it(`rejects ${rule}`, () => {
      expect(problemOf(extra)).to.equal(`Invalid event source mapping settings: ${message}`);
    });
  }

  it("accepts Lambda's boundary values, and fractions and short ages for scaled-down tests", () => {
    expect(
      problemOf({
        batchSize: 10_000,
        batchWindowSeconds: 300,
        parallelizationFactor: 10,
        maxRetryAttempts: -1,
        maxRecordAgeSeconds: -1,
        tumblingWindowSeconds: 900,
      }),
    ).to.equal(undefined);
    expect(problemOf({ batchWindowSeconds: 0.05, maxRecordAgeSeconds: 0.5 })).to.equal(undefined);
  });
});
