/** `api.front` websocket: the auth modes a WebSocket API's `$connect` can check, and the account role it may need. */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

describe("config: api.front websocket", () => {
  for (const auth of ["token", "iam", "none"]) {
    it(`takes api.auth ${auth}`, () => {
      expect(validateStackConfig({ api: { front: "websocket", auth } }).api.front).to.equal("websocket");
    });
  }

  for (const auth of ["jwt", "cognito"]) {
    it(`refuses api.auth ${auth}: WebSocket APIs have no JWT or Cognito authorizer`, () => {
      const extra = auth === "jwt" ? { jwtIssuer: "https://issuer.example.com", jwtAudience: ["a"] } : {};
      const problems = problemsOf({ api: { front: "websocket", auth, ...extra } });
      expect(problems.join("\n")).to.match(new RegExp(`\`api.auth\` ${auth} is not available on \`api.front\` websocket`));
    });
  }

  it("lets the stack create the account's CloudWatch role for its stage logs", () => {
    const { api } = validateStackConfig({ api: { front: "websocket", accessLogs: true, createApiGatewayAccountRole: true } });
    expect(api.createApiGatewayAccountRole).to.equal(true);
  });
});
