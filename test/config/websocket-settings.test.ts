/** `api.front` websocket: the auth modes a WebSocket API's `$connect` can check, and the account role it may need. */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

describe("config: api.front websocket", () => {
  for (const [auth, extra] of [
    ["token", {}],
    ["iam", {}],
    ["none", {}],
    ["jwt", { jwtIssuer: "https://issuer.example.com", jwtAudience: ["a"] }],
    ["cognito", {}],
  ] as const) {
    it(`takes api.auth ${auth} (jwt and cognito through the $connect authorizer: "Control and manage access to WebSocket APIs")`, () => {
      expect(validateStackConfig({ api: { front: "websocket", auth, ...extra } }).api.front).to.equal("websocket");
    });
  }

  it("still refuses jwt on the rest-api front, naming the fronts that take it", () => {
    const problems = problemsOf({ api: { front: "rest-api", auth: "jwt", jwtIssuer: "https://issuer.example.com", jwtAudience: ["a"] } });
    expect(problems.join("\n")).to.match(/`api.auth` jwt needs `api.front` http-api, websocket/);
  });

  it("lets the stack create the account's CloudWatch role for its stage logs", () => {
    const { api } = validateStackConfig({ api: { front: "websocket", accessLogs: true, createApiGatewayAccountRole: true } });
    expect(api.createApiGatewayAccountRole).to.equal(true);
  });
});
