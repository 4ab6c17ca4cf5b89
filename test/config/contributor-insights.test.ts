/**
 * `observability.contributorInsights` (config/validate.ts): a boolean, off by default; and the rules' names
 * (config/names.ts) within PutInsightRule's 128 characters for every stack name the validator accepts.
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import { CONTRIBUTOR_INSIGHT_RULES, contributorInsightRuleName } from "../../config/names";
import { problemsOf } from "./problems";

const NONE = { api: { auth: "none" } };

/** Whether the validator accepts `stack` as a stack name. */
function acceptsStack(stack: string): boolean {
  try {
    validateStackConfig({ ...NONE, observability: { contributorInsights: true } }, undefined, { stack });
    return true;
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigValidationError);
    return false;
  }
}

describe("config: observability.contributorInsights", () => {
  it("is off by default and takes true", () => {
    expect(validateStackConfig(NONE).observability.contributorInsights).to.equal(false);
    expect(validateStackConfig({ ...NONE, observability: { contributorInsights: true } }).observability.contributorInsights).to.equal(true);
  });

  it("refuses anything but a boolean", () => {
    expect(problemsOf({ ...NONE, observability: { contributorInsights: "yes" } })).to.deep.equal([
      '`observability.contributorInsights` must be true or false, got "yes"',
    ]);
  });

  it("names every rule within 128 characters (PutInsightRule RuleName) for the longest stack name accepted", () => {
    let longest = "";
    for (let length = 1; length <= 128; length++) if (acceptsStack("s".repeat(length))) longest = "s".repeat(length);
    expect(longest.length).to.be.greaterThan(0);
    for (const rule of CONTRIBUTOR_INSIGHT_RULES) expect(contributorInsightRuleName(longest, rule).length).to.be.at.most(128);
  });
});
