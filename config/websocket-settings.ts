/**
 * What `api.front` websocket can serve. A WebSocket API authorizes only its `$connect` route, and only with
 * IAM or a Lambda REQUEST authorizer: it has no JWT authorizer type and no Cognito user pool authorizer
 * ("Control and manage access to WebSocket APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html).
 */
import type { ApiAuth } from "./types";

/** Why the websocket front cannot serve `auth`, or undefined when it can. Pure. */
export function websocketAuthProblem(auth: ApiAuth): string | undefined {
  if (auth !== "jwt" && auth !== "cognito") return undefined;
  return (
    `\`api.auth\` ${auth} is not available on \`api.front\` websocket: a WebSocket API authorizes its $connect route only with ` +
    "IAM (`iam`) or a Lambda REQUEST authorizer (`token`), and has no JWT or Cognito user pool authorizer; use token, iam or none"
  );
}
