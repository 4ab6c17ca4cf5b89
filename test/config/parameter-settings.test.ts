/**
 * A consumer's `parameters` (config/parameter-settings.ts): created `{type, value}` (a standard parameter's
 * value, at most 4096 characters: PutParameter) or existing `{name}` (PutParameter's name rules: a-zA-Z0-9_.-
 * and `/`, at most 1011 characters as written, 15 levels, no `aws`/`ssm` prefix); a SecureString's value only
 * from the secret `parameterSecrets`; `PARAM_<NAME>` reserved and counted in Lambda's 4 KB of variables.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

const consumer = (parameters: unknown, extra: Record<string, unknown> = {}) => ({
  consumers: { c: { handler: "./examples/order-totals/consumer.ts", parameters, ...extra } },
});
const SET = "pulumi config set --secret --path 'kinesis-ingest:parameterSecrets.c.TOKEN' '<value>'";

describe("config: consumer parameters (Parameter Store, PutParameter's rules)", () => {
  it("takes created and existing parameters, and none by default", () => {
    const parameters = { API_URL: { type: "String", value: "https://api.example.com" }, REGIONS: { type: "StringList", value: "a,b" } };
    const existing = { SHARED: { name: "/team/shared/endpoint" } };
    expect(validateStackConfig(consumer({ ...parameters, ...existing })).consumers.c!.parameters).to.deep.equal({
      ...parameters,
      ...existing,
    });
    expect(validateStackConfig({ consumers: { c: { handler: "forwarder" } } }).consumers.c!.parameters).to.deep.equal({});
  });

  it("refuses a bad key, a missing type, an unknown type, an empty value and a reserved name, each naming the key", () => {
    expect(
      problemsOf(
        consumer({
          "api-url": { type: "String", value: "x" },
          A: { value: "x" },
          B: { type: "Number", value: "1" },
          C: { type: "String", value: "" },
          D: { name: "/aws/service/x" },
          E: { name: "has space" },
        }),
      ),
    ).to.deep.equal([
      "`consumers.c.parameters.api-url`: a parameter's key must be 1 to 64 letters, digits or _, starting with a letter (it becomes PARAM_<key>)",
      "`consumers.c.parameters.A` needs `type` (String, StringList, SecureString) or `name`: {type: String | StringList, value} or {type: SecureString} (its value in the secret `parameterSecrets`), or {name: <an existing parameter's name>}",
      '`consumers.c.parameters.B.type` must be one of String, StringList, SecureString, got "Number"',
      '`consumers.c.parameters.C.value` must be a string of 1 to 4096 characters (a standard parameter\'s limit), got ""',
      '`consumers.c.parameters.D.name` must be a parameter name: not starting with aws or ssm (any case), which Parameter Store reserves, got "/aws/service/x"',
      '`consumers.c.parameters.E.name` must be a parameter name: letters, digits, `_`, `.`, `-` and `/` between levels, got "has space"',
    ]);
  });

  it("never takes a SecureString's value from the stack file, and needs it in parameterSecrets", () => {
    expect(problemsOf(consumer({ TOKEN: { type: "SecureString", value: "hunter2" } }))).to.deep.equal([
      `\`consumers.c.parameters.TOKEN.value\` is not allowed for a SecureString: a secret never goes in the stack file; set it with ${SET} (value not shown)`,
    ]);
    expect(problemsOf(consumer({ TOKEN: { type: "SecureString" } }))).to.deep.equal([
      `\`consumers.c.parameters.TOKEN\` is a SecureString without a value: set it with ${SET}`,
    ]);
    const ok = { ...consumer({ TOKEN: { type: "SecureString" } }), parameterSecrets: { c: { TOKEN: "hunter2" } } };
    expect(problemsOf(ok)).to.deep.equal([]);
    expect(problemsOf({ ...ok, parameterSecrets: { secure: "v1:abc" } })).to.deep.equal([]);
    expect(problemsOf({ ...ok, parameterSecrets: { c: { TOKEN: "x", OTHER: "y" }, d: {} } })).to.deep.equal([
      "`parameterSecrets.c.OTHER` is no SecureString parameter of consumer c; its SecureString parameters: TOKEN",
      "`parameterSecrets.d` names no consumer; consumers: c",
    ]);
  });

  it("reserves PARAM_<NAME> and counts the parameters' names in the 4 KB of variables", () => {
    expect(problemsOf(consumer({}, { environment: { PARAM_X: "1" } }))).to.deep.equal([
      "`consumers.c.environment.PARAM_X` is set by kinesis-ingest itself: PARAM_<NAME> passes the name of each of `parameters`; choose another name",
    ]);
    const long = Object.fromEntries([1, 2, 3, 4].map((i) => [`P${i}`, { name: `/${"x".repeat(1000)}/${i}` }]));
    expect(problemsOf(consumer(long))[0]).to.match(/^`consumers.c.environment` is too large: Lambda allows 4096 bytes/);
  });
});
