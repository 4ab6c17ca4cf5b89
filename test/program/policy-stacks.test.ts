/**
 * The policy pack against what the real program creates for each committed stack (run under mocks by the
 * program suite's harness): zero violations, and the resources each policy inspects are really there.
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { evaluatePolicies } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { ofType, runProgram, type RecordedResource } from "./harness";

/** How many resources of each inspected type the stacks hold (dev: ingest, authorizer, forwarder; prod adds archiver). */
const EXPECTED: Record<string, Record<string, number>> = {
  dev: { stream: 1, mappings: 1, functions: 3 },
  prod: { stream: 1, mappings: 2, functions: 4 },
};

for (const stack of ["dev", "prod"]) {
  describe(`policy pack against the ${stack} stack`, () => {
    let resources: RecordedResource[];
    before(async () => {
      resources = await runProgram(readStackFile(stack), { stack });
    });

    it("holds the resources the policies inspect", () => {
      expect({
        stream: ofType(resources, "aws:kinesis/stream:Stream").length,
        mappings: ofType(resources, "aws:lambda/eventSourceMapping:EventSourceMapping").length,
        functions: ofType(resources, "aws:lambda/function:Function").length,
      }).to.deep.equal(EXPECTED[stack]);
      expect(ofType(resources, "aws:iam/rolePolicy:RolePolicy").length).to.equal(EXPECTED[stack].functions);
    });

    it("violates no policy", async () => {
      expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
    });
  });
}

describe("policy pack against a stack the config allows but the policies refuse", () => {
  it("reports unbounded record age and retries on the mapping (AWS's -1: until the record expires)", async () => {
    const dev = readStackFile("dev") as { consumers: Record<string, Record<string, unknown>> };
    const raw = { ...dev, consumers: { forwarder: { ...dev.consumers.forwarder, maxRecordAgeSeconds: -1, maxRetryAttempts: -1 } } };
    const violations = await evaluatePolicies(await runProgram(raw, { stack: "dev" }), policies);
    expect(violations.map((v) => [v.policy, v.resource, v.message])).to.deep.equal([
      ["kinesis-mapping-failure-handling", "consumer-forwarder-mapping",
        "`maximumRecordAgeInSeconds` must be bounded, an integer from 60 to 604800 (not -1), got -1"],
      ["kinesis-mapping-failure-handling", "consumer-forwarder-mapping",
        "`maximumRetryAttempts` must be bounded, an integer from 0 to 10000 (not -1), got -1"],
    ]);
  });
});
