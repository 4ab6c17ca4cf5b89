/**
 * The `api` member of `/_local/status`: what a caller needs to reach the front as deployed — its URL where it
 * has its own (websocket, appsync), the key it sends, the IAM credentials it signs with, the local issuer's
 * key set and token minting.
 */
import type { ApiConfig } from "../../config/types";
import { GRAPHQL_PATH } from "../../handlers/lib/appsync-schema";
import { WEBSOCKET_STAGE } from "../../handlers/lib/websocket-message";
import { LOCAL_REGION } from "../emulators";
import type { LocalStatus } from "../server";
import { LOCAL_APPSYNC_API_KEY } from "./appsync-auth";
import { LOCAL_JWKS_PATH, LOCAL_TOKENS_PATH, type LocalApi } from "./index";
import { LOCAL_API_KEY } from "./rest-api";
import { LOCAL_IAM_CREDENTIALS } from "./sigv4";

/** The status of the front `config` deploys, served at `serverUrl` with `local`'s issuer. */
export function localApiStatus(config: ApiConfig, serverUrl: string, local: LocalApi): LocalStatus["api"] {
  const { front, auth } = config;
  return {
    front,
    auth,
    ...(front === "rest-api" ? { apiKey: LOCAL_API_KEY } : {}),
    ...(front === "appsync" ? { graphqlUrl: `${serverUrl}${GRAPHQL_PATH}` } : {}),
    ...(front === "appsync" && auth === "none" ? { apiKey: LOCAL_APPSYNC_API_KEY } : {}),
    ...(front === "websocket" ? { websocketUrl: `${serverUrl.replace(/^http/, "ws")}/${WEBSOCKET_STAGE}` } : {}),
    ...(auth === "iam" ? { iamCredentials: { ...LOCAL_IAM_CREDENTIALS, region: LOCAL_REGION } } : {}),
    ...(local.jwt
      ? { jwt: { issuer: local.jwt.issuer, jwksUrl: `${serverUrl}${LOCAL_JWKS_PATH}`, tokensUrl: `${serverUrl}${LOCAL_TOKENS_PATH}` } }
      : {}),
  };
}
