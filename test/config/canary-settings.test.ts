/**
 * `observability.canary` and a consumer's `dropCanaryRecords` (config/canary-settings.ts): defaults, ranges and
 * unknown keys, the fronts and auth modes a canary cannot call, the canary's name against the stack name, and the
 * exclusion clause folded into a consumer's filter patterns (which the local engine then applies).
 */
import { expect } from "chai";
import { ConfigValidationError, validateStackConfig } from "../../config";
import { compileFilterCriteria } from "../../semantics/event-filter";
import { problemsOf } from "./problems";

const NONE = { api: { auth: "none" } };
const canary = (settings: unknown, api: Record<string, unknown> = NONE.api) => problemsOf({ api, observability: { canary: settings } });

describe("config: observability.canary", () => {
  it("is absent by default; an empty section takes the defaults", () => {
    expect(validateStackConfig(NONE).observability.canary).to.equal(undefined);
    expect(validateStackConfig({ ...NONE, observability: { canary: {} } }).observability.canary).to.deep.equal({
      scheduleMinutes: 5,
      successPercentAlarm: 90,
    });
  });

  it("refuses a schedule outside 1–60 minutes, a threshold outside 1–100 and unknown keys, naming what is allowed", () => {
    expect(canary({ scheduleMinutes: 0 })).to.deep.equal(["`observability.canary.scheduleMinutes` must be an integer from 1 to 60, got 0"]);
    expect(canary({ scheduleMinutes: 90, successPercentAlarm: 0 })).to.deep.equal([
      "`observability.canary.scheduleMinutes` must be an integer from 1 to 60, got 90",
      "`observability.canary.successPercentAlarm` must be an integer from 1 to 100, got 0",
    ]);
    expect(canary({ schedule: 5 })[0]).to.match(
      /^`observability.canary.schedule` is not a known setting; known settings: scheduleMinutes, /,
    );
    expect(canary(true)).to.deep.equal(["`observability.canary` must be an object such as {scheduleMinutes: 5}, got true"]);
  });

  it("refuses the websocket front and the jwt and cognito auth modes", () => {
    expect(canary({}, { front: "websocket", auth: "none" })).to.deep.equal([
      "`observability.canary` needs `api.front` http-api, rest-api, alb (a front answering `GET /health` and `POST /records` over HTTP), got websocket",
    ]);
    const jwt = canary({}, { auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["a"] });
    expect(jwt).to.deep.equal([
      "`observability.canary` cannot authenticate with `api.auth` jwt: the stack holds no credential an issuer would sign a token for; use `api.auth` none, token or iam, or run a canary of your own that fetches a token",
    ]);
    expect(canary({}, { front: "alb", auth: "token", allowPlaintext: true })).to.deep.equal([]);
    expect(canary({}, { front: "rest-api", auth: "iam" })).to.deep.equal([]);
  });

  it("refuses a stack whose name makes no canary name (lowercase only)", () => {
    const check = (stack: string) => {
      try {
        validateStackConfig({ ...NONE, observability: { canary: {} } }, undefined, { stack });
        return [];
      } catch (error) {
        return (error as ConfigValidationError).problems;
      }
    };
    expect(check("dev")).to.deep.equal([]);
    expect(check("Dev").join("\n")).to.contain("names the canary `kinesis-ingest-Dev-canary`");
  });
});

describe("config: consumers.<name>.dropCanaryRecords", () => {
  const patternsOf = (consumer: Record<string, unknown>) =>
    validateStackConfig({ ...NONE, consumers: { c: { handler: "forwarder", ...consumer } } }).consumers.c!.filterPatterns;

  it("adds the exclusion to each pattern, keeping its text, or is the one pattern", () => {
    expect(patternsOf({})).to.deep.equal([]);
    expect(patternsOf({ dropCanaryRecords: true })).to.deep.equal(['{"data":{"kinesisIngestCanary":[{"exists":false}]}}']);
    const combined = patternsOf({ dropCanaryRecords: true, filterPatterns: ['{ "data" : { "amount": [300.0] } }', '{"data":{}}'] });
    expect(combined).to.deep.equal([
      '{"data":{"kinesisIngestCanary":[{"exists":false}],"amount": [300.0]}}',
      '{"data":{"kinesisIngestCanary":[{"exists":false}]}}',
    ]);
    const passes = compileFilterCriteria(combined.slice(0, 1));
    expect(passes(Buffer.from('{"amount":300.0}'))).to.equal(true);
    expect(passes(Buffer.from('{"amount":300.0,"kinesisIngestCanary":true}'))).to.equal(false);
  });

  it("refuses a non-boolean and a pattern that already names the marker", () => {
    expect(problemsOf({ ...NONE, consumers: { c: { handler: "forwarder", dropCanaryRecords: "yes" } } })).to.deep.equal([
      '`consumers.c.dropCanaryRecords` must be true or false, got "yes"',
    ]);
    const marker = { handler: "forwarder", dropCanaryRecords: true, filterPatterns: ['{"data":{"kinesisIngestCanary":[true]}}'] };
    expect(problemsOf({ ...NONE, consumers: { c: marker } })).to.deep.equal([
      "`consumers.c.filterPatterns[0]` already names `kinesisIngestCanary`: remove it or `dropCanaryRecords`",
    ]);
  });
});
