/**
 * A whole `Pulumi.<stack>.yaml`: the `kinesis-ingest:` keys (each section, and the secrets as Pulumi stores them)
 * beside `aws:region`, as the JSON Schema `npx kinesis-ingest schema` prints and `schema/stack-file.schema.json`
 * holds (test/config/stack-file-schema.test.ts keeps the two equal).
 *
 * It asks for every section as a YAML object, as `pulumi config set --path` writes it, the one form an editor can
 * check key by key, and each secret either plain or `{secure: ...}` as `pulumi config set --secret` writes it. A
 * value written as JSON text (`pulumi config set KEY '<json>'`) is parsed by the program, the local stack and the
 * CLI alike (config/load.ts), and checked there; the editor marks it as not the object it expects.
 */
import { Type, type TSchema } from "@sinclair/typebox";
import { PROJECT } from "../project";
import { SECRET_KEYS } from "../types";
import { API } from "./api";
import { CONSUMERS } from "./consumers";
import { SECURE, section } from "./kit";
import { LIFECYCLE } from "./lifecycle";
import { OBSERVABILITY } from "./observability";
import { STREAM } from "./stream";

const SECRET = "Secret: set it with `pulumi config set --secret`, which stores it as {secure: ...}.";

/** Each consumer's map of secret values, or the whole map encrypted at once. */
const BY_CONSUMER = (values: TSchema, description: string) =>
  Type.Optional(
    Type.Union([SECURE, Type.Record(Type.String(), Type.Union([SECURE, values]))], { description: `${description} ${SECRET}` }),
  );

/** The `kinesis-ingest:` keys, without the prefix: what `validateStackConfig` reads. */
export const STACK = section(
  {
    stream: Type.Optional(STREAM),
    api: Type.Optional(API),
    consumers: Type.Optional(CONSUMERS),
    observability: Type.Optional(OBSERVABILITY),
    lifecycle: Type.Optional(LIFECYCLE),
    [SECRET_KEYS.apiTokens]: Type.Optional(
      Type.Union(
        [
          SECURE,
          Type.Array(Type.String({ pattern: "^[A-Za-z0-9\\-._~+/]{16,512}=*$" }), {
            minItems: 1,
            description: "Bearer tokens: 16 to 512 letters, digits or -._~+/",
          }),
        ],
        { description: `The bearer tokens the token authorizer accepts, stored as SHA-256 hashes. ${SECRET}` },
      ),
    ),
    [SECRET_KEYS.consumerSecrets]: BY_CONSUMER(
      Type.Object({}),
      "Runtime configuration by consumer, e.g. the forwarder's authorization and targetUrl; use --path.",
    ),
    [SECRET_KEYS.parameterSecrets]: BY_CONSUMER(
      Type.Record(Type.String(), Type.Union([SECURE, Type.String({ minLength: 1 })])),
      "The value of each SecureString of a consumer's `parameters`, by consumer and parameter; use --path.",
    ),
  },
  { description: `The ${PROJECT}:* keys.` },
);

/** The JSON Schema of a whole stack file (draft-07: what every version of the YAML language server reads). */
export function stackFileJsonSchema(): object {
  const settings = Object.entries(STACK.properties).map(([key, schema]) => [`${PROJECT}:${key}`, schema]);
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `Pulumi.<stack>.yaml of ${PROJECT}`,
    description: `A stack file of the ${PROJECT} project; the keys, types, ranges and defaults are config/schema/'s.`,
    type: "object",
    properties: {
      config: {
        type: "object",
        description: "The stack's configuration.",
        properties: {
          "aws:region": { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d+$", description: "The Region the stack deploys to." },
          ...Object.fromEntries(settings),
        },
        // Other namespaces (aws:profile, a provider's keys) are Pulumi's business; an unknown key of this project is a typo.
        patternProperties: { [`^(?!${PROJECT}:)[^:]+:`]: {} },
        additionalProperties: false,
      },
    },
  };
  // TypeBox marks its schemas with symbol keys; JSON keeps only the JSON Schema.
  return JSON.parse(JSON.stringify(schema)) as object;
}
