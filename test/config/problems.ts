/** Runs the validator on a raw stack configuration and returns the problems it reported (none when valid). */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";

export function problemsOf(raw: Record<string, unknown>): readonly string[] {
  try {
    validateStackConfig(raw);
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
}
