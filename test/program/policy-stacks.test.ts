/**
 * The policy pack against what the real program creates for each committed stack (run under mocks by the
 * program suite's harness): zero violations, and the resources each policy inspects are really there.
 */
import { expect } from "chai";
import { readStackFile } from "../../config";
import { evaluatePolicies, unwrapSecrets } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { ofType, runProgram, type RecordedResource } from "./harness";

/** How many resources of each inspected type the stacks hold (dev: ingest, authorizer, forwarder; prod adds archiver). */
const EXPECTED: Record<string, Record<string, number>> = {
  dev: { stream: 1, mappings: 2, functions: 4 },
  prod: { stream: 1, mappings: 3, functions: 5 },
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
      expect(ofType(resources, "aws:iam/rolePolicy:RolePolicy").length).to.equal(EXPECTED[stack]!.functions);
    });

    it("violates no policy", async () => {
      expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
    });
  });
}

describe("policy pack against what the config and the README allow", () => {
  it("passes a mapping with AWS's -1 record age and retries (until the record expires), as the config does", async () => {
    const dev = readStackFile("dev") as { consumers: Record<string, Record<string, unknown>> };
    const raw = { ...dev, consumers: { forwarder: { ...dev.consumers.forwarder, maxRecordAgeSeconds: -1, maxRetryAttempts: -1 } } };
    const resources = await runProgram(raw, { stack: "dev" });
    const mapping = ofType(resources, "aws:lambda/eventSourceMapping:EventSourceMapping")[0]!;
    expect([mapping.inputs.maximumRecordAgeInSeconds, mapping.inputs.maximumRetryAttempts]).to.deep.equal([-1, -1]);
    expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
  });
});

/** Pulumi's wire sentinel for an unknown value (`UnknownStringValue`), as the analyzer receives it in a preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The resources as a first `pulumi preview` shows them to the policies: nothing exists yet, so every value
 * AWS computes (ARNs, URLs, ids: the mocks' outputs that are not inputs) is unknown, and so is every input
 * built from one (a policy document naming an ARN is one unknown string).
 */
function asFirstPreview(resources: readonly RecordedResource[]): RecordedResource[] {
  const computed = new Set<string>();
  for (const r of resources) {
    for (const [key, value] of Object.entries(r.outputs)) {
      if (!(key in r.inputs) && typeof value === "string" && value.length > 8) computed.add(value);
    }
  }
  const hide = (value: unknown): unknown => {
    if (typeof value === "string") return [...computed].some((c) => value.includes(c)) ? UNKNOWN : value;
    if (Array.isArray(value)) return value.map(hide);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hide(v)]));
    return value;
  };
  return resources.map((r) => {
    const inputs = hide(unwrapSecrets(r.inputs)) as Record<string, unknown>;
    const outputs = Object.fromEntries(Object.keys(r.outputs).map((k) => [k, k in inputs ? inputs[k] : UNKNOWN]));
    return { ...r, inputs, outputs };
  });
}

/** One RolePolicy per function: dev has ingest, authorizer, forwarder; prod adds archiver. */
const EXPECTED_ROLE_POLICIES: Record<string, string[]> = {
  dev: [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN],
  prod: [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN],
};

describe("policy pack during a first preview (every computed value unknown)", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: skips what it cannot see yet and reports nothing`, async () => {
      const resources = asFirstPreview(await runProgram(readStackFile(stack), { stack }));
      // What makes this a preview: the on-failure queue's ARN and the role policies' documents are unknown.
      const mapping = ofType(resources, "aws:lambda/eventSourceMapping:EventSourceMapping")[0]!;
      expect(mapping.inputs.destinationConfig).to.deep.equal({ onFailure: { destinationArn: UNKNOWN } });
      expect(ofType(resources, "aws:iam/rolePolicy:RolePolicy").map((p) => p.inputs.policy)).to.deep.equal(EXPECTED_ROLE_POLICIES[stack]);
      expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
    });
  }
  it("still reports what is known, such as a retry count out of Lambda's range", async () => {
    const dev = readStackFile("dev") as { consumers: Record<string, Record<string, unknown>> };
    const resources = asFirstPreview(await runProgram(dev, { stack: "dev" }));
    // No valid stack file makes such a mapping any more: the known value is patched in, as a hand-written program could.
    const mapping = resources.find((r) => r.name === "consumer-forwarder-mapping")!;
    const patched = resources.map((r) => (r === mapping ? { ...r, inputs: { ...r.inputs, maximumRetryAttempts: 10_001 } } : r));
    const violations = await evaluatePolicies(patched, policies);
    expect(violations.map((v) => [v.resource, v.message])).to.deep.equal([
      [
        "consumer-forwarder-mapping",
        "`maximumRetryAttempts` must be set, -1 (until the record expires) or an integer from 0 to 10000, got 10001",
      ],
    ]);
  });
});

describe("policy pack against every front and auth mode the config accepts", () => {
  const combinations: [string, string][] = [
    ["http-api", "none"],
    ["http-api", "token"],
    ["http-api", "iam"],
    ["http-api", "jwt"],
    ["rest-api", "none"],
    ["rest-api", "token"],
    ["rest-api", "iam"],
    ["alb", "none"],
    ["alb", "token"],
  ];
  for (const [front, auth] of combinations) {
    it(`${front} with ${auth} auth: no violation`, async () => {
      const dev = readStackFile("dev") as { api: Record<string, unknown> };
      const jwt = auth === "jwt" ? { jwtIssuer: "https://issuer.example.com/", jwtAudience: ["kinesis-ingest"] } : {};
      const plaintext = front === "alb" && auth === "token" ? { allowPlaintext: true } : {};
      const raw = { ...dev, api: { ...dev.api, front, auth, ...jwt, ...plaintext } };
      const resources = await runProgram(raw, { stack: "dev" });
      expect(await evaluatePolicies(resources, policies)).to.deep.equal([]);
      expect(await evaluatePolicies(asFirstPreview(resources), policies)).to.deep.equal([]);
    });
  }
});
