/**
 * `api.auth` cognito: the stack's own Cognito user pool and app client, or an existing pool
 * (`api.userPoolArn`, and on `http-api` its app clients `api.userPoolClientIds`). Pure checks of
 * `validateStackConfig`, every problem recorded, and the one home of the pool's issuer URL, which the
 * program's JWT authorizer and the local pool both use (docs/aws-semantics.md#cognito-user-pools).
 */
import { USER_POOL_ARN, USER_POOL_CLIENT_ID } from "../semantics/resource-ids";
import { API_DEFAULTS } from "./defaults";
import { checkArnPartition } from "./region-rules";
import { matching, Problems, stringList, type RawObject } from "./rules";
import { API } from "./schema/api";
import type { ApiAuth, ApiConfig, ApiFront } from "./types";

type CognitoSettings = Pick<ApiConfig, "userPoolArn" | "userPoolClientIds">;

/** The pool's Region and id (`us-east-1_AbC123`) from its ARN, or undefined for anything else. */
export function userPoolOf(arn: string): { readonly region: string; readonly poolId: string } | undefined {
  const m = USER_POOL_ARN.exec(arn);
  if (!m || m[1] !== m[2]) return undefined;
  return { region: m[1]!, poolId: `${m[2]}_${m[3]}` };
}

/** The `iss` of the pool's tokens, and so a JWT authorizer's issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
export function cognitoIssuer(region: string, poolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}

/** `api.userPoolArn` and `api.userPoolClientIds`. */
export function readCognito(p: Problems, a: RawObject, front: ApiFront | undefined, auth: ApiAuth | undefined): Partial<CognitoSettings> {
  if (auth !== undefined && auth !== "cognito") {
    for (const key of ["userPoolArn", "userPoolClientIds"])
      if (a[key] !== undefined) p.say(`\`api.${key}\` applies only to \`api.auth\` cognito, got ${auth}`);
  }
  const userPoolArn = a.userPoolArn === undefined ? undefined : readPoolArn(p, a.userPoolArn);
  const userPoolClientIds = stringList(
    p,
    "api.userPoolClientIds",
    a.userPoolClientIds ?? API_DEFAULTS.userPoolClientIds,
    API.properties.userPoolClientIds.maxItems,
    (path, v) => matching(p, path, v, USER_POOL_CLIENT_ID, "an app client id, 1 to 128 letters, digits, `_` or `+`"),
  );
  if (auth !== "cognito") return { userPoolArn, userPoolClientIds };
  if (front === "rest-api" && a.userPoolClientIds !== undefined) {
    p.say(
      "`api.userPoolClientIds` cannot apply to `api.front` rest-api: a COGNITO_USER_POOLS authorizer accepts the ID token of any app client of the pool; " +
        "remove it, or use `api.front` http-api, whose JWT authorizer checks the client",
    );
  }
  // Judged on the raw value: a list with a malformed id has its own problem already.
  const noClients = a.userPoolClientIds === undefined || (Array.isArray(a.userPoolClientIds) && a.userPoolClientIds.length === 0);
  if (front === "http-api" && a.userPoolArn !== undefined && noClients) {
    p.say(
      "`api.userPoolArn` on `api.front` http-api needs `api.userPoolClientIds` (the app clients whose tokens the JWT authorizer accepts: their `aud` or `client_id`)",
    );
  }
  if (a.userPoolArn === undefined && a.userPoolClientIds !== undefined) {
    p.say(
      "`api.userPoolClientIds` needs `api.userPoolArn` (the existing pool they belong to); without both the stack creates its own pool and client",
    );
  }
  return { userPoolArn, userPoolClientIds };
}

function readPoolArn(p: Problems, value: unknown): string | undefined {
  const arn = matching(
    p,
    "api.userPoolArn",
    value,
    USER_POOL_ARN,
    "a Cognito user pool ARN, arn:aws:cognito-idp:<region>:<12-digit account>:userpool/<region>_<id>",
  );
  if (arn === undefined) return undefined;
  if (!userPoolOf(arn)) {
    p.say(
      `\`api.userPoolArn\` names pool id ${arn.split("/")[1]} in Region ${arn.split(":")[3]}: a pool id starts with its own Region, got ${arn}`,
    );
    return undefined;
  }
  return checkArnPartition(p, "api.userPoolArn", arn) ? arn : undefined;
}
