/**
 * `kinesis-ingest token --endpoint URL`: mints a JWT from a local stack whose `api.auth` is `jwt` (its
 * `POST /_local/tokens`, local/fronts/index.ts) and prints it, for `Authorization: Bearer <token>`. The token
 * is signed by the local stack's own key, so only that stack accepts it.
 */
import { EXIT } from "../cli-kit/exit-codes";
import { integerFlag } from "../cli-kit/flag-values";
import { parseFlags, rejectPositionals } from "../cli-kit/flags";
import { UsageError } from "../cli-kit/usage-error";
import { runCommand } from "./run-command";

const HELP = `Usage: kinesis-ingest token --endpoint URL [--audience A] [--expires-in S] [--scope S] [--subject S]
       kinesis-ingest token --endpoint URL [--token-use access|id] [--client-id C] [--groups G,...] [--username U] [--expires-in S]

Mints a JWT from a local stack run with api.auth jwt or cognito and prints it on stdout. With jwt the token's
iss is the stack's api.jwtIssuer; with cognito the local stack plays the user pool and mints a Cognito access
or ID token. The local stack checks it as API Gateway's authorizer does.
  --endpoint URL    the local stack, e.g. http://127.0.0.1:3000
  --audience A      the aud claim (default: the first of api.jwtAudience)
  --expires-in S    seconds until exp, 1 to 86400 (default 3600)
  --scope S         the scope claim, space-separated scopes
  --subject S       the sub claim (default local-user)
 cognito:
  --token-use T     access (client in client_id; default) or id (client in aud; what a rest-api takes)
  --client-id C     the app client (default: the stack's first)
  --groups G,...    the cognito:groups claim
  --username U      the user (default local-user)
Exit codes: 0 printed, 1 the stack refused (e.g. its api.auth is neither jwt nor cognito, or a flag of the other one) or could not be reached, 64 bad usage.`;

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runCommand("token", HELP, argv, async () => {
    const { values, positionals } = parseFlags(argv, {
      endpoint: { type: "string" },
      audience: { type: "string" },
      "expires-in": { type: "string" },
      scope: { type: "string" },
      subject: { type: "string" },
      "token-use": { type: "string" },
      "client-id": { type: "string" },
      groups: { type: "string" },
      username: { type: "string" },
    });
    rejectPositionals(positionals);
    if (!values.endpoint) throw new UsageError("--endpoint is required (the local stack's URL, e.g. http://127.0.0.1:3000).");
    const expiresInSeconds = integerFlag(values["expires-in"], "expires-in", { min: 1, max: 86_400 }, 3600);
    const tokenUse = values["token-use"];
    if (tokenUse !== undefined && tokenUse !== "access" && tokenUse !== "id")
      throw new UsageError(`--token-use must be access or id, got ${tokenUse}.`);
    const cognito = {
      tokenUse,
      clientId: values["client-id"],
      groups: values.groups?.split(",").filter(Boolean),
      username: values.username,
    };
    const request = { audience: values.audience, expiresInSeconds, scope: values.scope, subject: values.subject, ...cognito };
    const response = await fetch(new URL("/_local/tokens", values.endpoint), { method: "POST", body: JSON.stringify(request) });
    const answer = (await response.json().catch(() => ({}))) as { token?: string; message?: string };
    if (!response.ok || typeof answer.token !== "string") throw new Error(answer.message ?? `the local stack answered ${response.status}.`);
    process.stdout.write(`${answer.token}\n`);
    return EXIT.ok;
  });
}
