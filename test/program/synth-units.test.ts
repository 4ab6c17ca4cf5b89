/** The offline plan's pure parts: command line, encrypted values left out, inputs as printed lines. */
import { expect } from "chai";
import { UsageError } from "../../cli-kit/usage-error";
import { parseArgs } from "../../synth/args";
import { renderTree, inputLines } from "../../synth/render";
import { withoutSecureValues } from "../../synth/secure";
import { pulumiConfig } from "../../synth/stack-config";

describe("synth: command line", () => {
  const ok: [string[], ReturnType<typeof parseArgs>][] = [
    [["--stack", "prod"], { stack: "prod", json: false, dir: undefined }],
    [["--stack=dev", "--json"], { stack: "dev", json: true, dir: undefined }],
    [["--json", "--dir", "/tmp/x", "--stack", "dev"], { stack: "dev", json: true, dir: "/tmp/x" }],
    [["--help"], "help"],
  ];
  for (const [argv, expected] of ok) {
    it(`accepts ${argv.join(" ")}`, () => expect(parseArgs(argv)).to.deep.equal(expected));
  }
  const bad: [string[], string][] = [
    [[], "--stack <name> is required (e.g. --stack dev)"],
    [["--stack"], "--stack needs a value"],
    [["--stack", "--json"], "--stack needs a value"],
    [["--dir="], "--dir needs a value"],
    [["--stack", "dev", "prod"], 'unknown argument "prod"; allowed: --stack <name>, --json, --dir <folder>, --against <file>'],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${JSON.stringify(argv)}`, () => expect(() => parseArgs(argv)).to.throw(UsageError, message));
  }
});

describe("synth: encrypted stack values", () => {
  it("removes them at any depth, naming each key path, and drops what is left empty", () => {
    const raw = {
      stream: { shards: 2 },
      apiTokens: { secure: "v1:a" },
      consumerSecrets: {
        forwarder: { authorization: { secure: "v1:b" } },
        archiver: { authorization: { secure: "v1:c" }, targetUrl: "https://x.example.com" },
      },
    };
    expect(withoutSecureValues(raw)).to.deep.equal({
      raw: { stream: { shards: 2 }, consumerSecrets: { archiver: { targetUrl: "https://x.example.com" } } },
      removed: ["apiTokens", "consumerSecrets.forwarder.authorization", "consumerSecrets.archiver.authorization"],
    });
  });
  it("keeps an object that merely has a `secure` key among others, and empty objects the file set", () => {
    const raw = { api: { secure: "v1:x", front: "alb" }, observability: {} };
    expect(withoutSecureValues(raw)).to.deep.equal({ raw, removed: [] });
  });
  it("hands the program structured values as JSON text, as `pulumi config` stores them", () => {
    expect(pulumiConfig({ stream: { shards: 2 }, note: "text" }, { "aws:region": "eu-west-1" })).to.deep.equal({
      "aws:region": "eu-west-1",
      "kinesis-ingest:stream": '{"shards":2}',
      "kinesis-ingest:note": "text",
    });
  });
});

describe("synth: rendering", () => {
  it("prints inputs as key paths, unfolding JSON documents and skipping unset values", () => {
    expect(
      inputLines({
        name: "f",
        memorySize: 256,
        tracingConfig: { mode: "Active" },
        reservedConcurrentExecutions: undefined,
        architectures: ["arm64"],
        policy: JSON.stringify({
          Statement: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["arn:aws:sqs:eu-west-1:123456789012:q"] }],
        }),
        description: "x".repeat(120),
        environment: {},
      }),
    ).to.deep.equal([
      'name: "f"',
      "memorySize: 256",
      'tracingConfig.mode: "Active"',
      'architectures: ["arm64"]',
      'policy.Statement[0].Effect: "Allow"',
      'policy.Statement[0].Action: ["sqs:SendMessage"]',
      'policy.Statement[0].Resource: ["arn:aws:sqs:eu-west-1:123456789012:q"]',
      `description: "${"x".repeat(96)}...`,
      "environment: {}",
    ]);
  });
  it("draws components and their children as a tree", () => {
    const base = { component: false, inputs: {} };
    expect(
      renderTree([
        { ...base, type: "t:C", name: "c", urn: "u:c", parent: null, component: true },
        { ...base, type: "aws:a", name: "c-a", urn: "u:a", parent: "u:c", inputs: { n: 1 } },
        { ...base, type: "aws:b", name: "c-b", urn: "u:b", parent: "u:c" },
        { ...base, type: "aws:d", name: "d", urn: "u:d", parent: "urn:the-stack" },
      ]),
    ).to.deep.equal(["├─ c  (t:C, component)", "│  ├─ c-a  (aws:a)", "│  │     n: 1", "│  └─ c-b  (aws:b)", "└─ d  (aws:d)"]);
  });
});
