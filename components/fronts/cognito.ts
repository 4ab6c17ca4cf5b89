/**
 * `api.auth` cognito: the user pool whose tokens the front accepts — the stack's own pool and app client, or
 * the existing `api.userPoolArn` with `api.userPoolClientIds` — as the issuer, audiences and ARN the front's
 * authorizer needs (docs/aws-semantics.md#cognito-user-pools).
 *
 * The pool holds users: it is data-bearing (components/lifecycle.ts), retained when Pulumi deletes it and
 * protected with `lifecycle.protect`, and Cognito's own deletion protection is on. Its `name` and the
 * sign-in attributes (`aliasAttributes`, `usernameAttributes`, `usernameConfiguration`, `schemas`) cannot
 * change in place (the provider replaces the pool, losing every user): the program sets only `name`, from the
 * stack, and leaves the others at Cognito's defaults (sign-in by username, case-insensitive).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cognitoIssuer, userPoolOf } from "../../config/cognito-settings";
import type { ApiNames } from "../../config/names";
import type { LifecycleConfig } from "../../config/types";
import { dataBearing } from "../lifecycle";

/** What the front's authorizer needs of the pool. */
export interface CognitoPool {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the tokens' `iss`. */
  readonly issuer: pulumi.Input<string>;
  /** The app clients whose tokens an HTTP API accepts (`aud` of ID tokens, `client_id` of access tokens). */
  readonly clientIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The pool's ARN: a REST COGNITO_USER_POOLS authorizer's provider. */
  readonly arn: pulumi.Input<string>;
}

export interface CognitoPoolArgs {
  readonly parent: pulumi.Resource;
  readonly name: string;
  readonly names: ApiNames;
  readonly lifecycle: LifecycleConfig;
  readonly userPoolArn?: string;
  readonly userPoolClientIds: readonly string[];
}

/** The existing pool when `userPoolArn` is set, else a new pool and app client. */
export function cognitoPool(args: CognitoPoolArgs): CognitoPool {
  if (args.userPoolArn !== undefined) {
    const pool = userPoolOf(args.userPoolArn);
    if (!pool) throw new Error(`\`api.userPoolArn\` is not a user pool ARN: ${args.userPoolArn}`);
    return { issuer: cognitoIssuer(pool.region, pool.poolId), clientIds: [...args.userPoolClientIds], arn: args.userPoolArn };
  }
  const { parent, name, names } = args;
  const pool = new aws.cognito.UserPool(
    `${name}-user-pool`,
    {
      name: names.userPool,
      deletionProtection: "ACTIVE",
      // Producers are known callers: an administrator creates their users; nobody signs up.
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      passwordPolicy: {
        minimumLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
      mfaConfiguration: "OPTIONAL",
      softwareTokenMfaConfiguration: { enabled: true },
      accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] },
    },
    dataBearing(args.lifecycle, { parent }),
  );
  const client = new aws.cognito.UserPoolClient(
    `${name}-user-pool-client`,
    {
      name: names.userPoolClient,
      userPoolId: pool.id,
      // A public client (no secret): producers sign in with SRP, so passwords never cross the network.
      generateSecret: false,
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
    },
    { parent },
  );
  // From the ARN, which names the pool's Region and id: the one issuer formula serves both cases.
  const issuer = pool.arn.apply((arn) => {
    const of = userPoolOf(arn);
    if (!of) throw new Error(`Cognito returned a user pool ARN of an unknown form: ${arn}`);
    return cognitoIssuer(of.region, of.poolId);
  });
  return { issuer, clientIds: [client.id], arn: pool.arn };
}
