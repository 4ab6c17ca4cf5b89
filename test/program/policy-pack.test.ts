/**
 * The policy pack as the Pulumi CLI runs it (`pulumi preview --policy-pack policy`): `policy/index.ts` is
 * started in its own folder, prints the port of its analyzer gRPC server, and answers the engine's
 * `GetAnalyzerInfo`, `Analyze` (one resource's inputs) and `AnalyzeStack` (every resource's outputs) calls.
 * Only the engine is replaced, by this test's gRPC client.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { expect } from "chai";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { functionLogGroupRetention, mappingFailureHandling, streamEncrypted } from "../../policy/policies";

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");
const URN = (type: string, name: string) => `urn:pulumi:dev::kinesis-ingest::${type}::${name}`;

/** Starts the pack as the CLI does (cwd = the pack's folder) and resolves with the port it prints. */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "index.ts"], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0]!;
      if (out.includes("\n") && /^\d+$/.test(line)) resolve({ child, port: Number(line) });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`the policy pack exited with ${code} before serving: ${out}${err}`)));
  });
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

function call<Req, Res>(method: (req: Req, callback: Callback<Res>) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => method(req, (error, response) => (error ? reject(error) : resolve(response))));
}

function options(): analyzer.AnalyzerResourceOptions {
  return new analyzer.AnalyzerResourceOptions().setProtect(false);
}

/** Each diagnostic as [policy, message, enforcement, urn]; the pack prefixes the message with the policy's description. */
function diagnostics(response: analyzer.AnalyzeResponse): [string, string, analyzer.EnforcementLevel, string][] {
  return response.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage(), d.getEnforcementlevel(), d.getUrn()]);
}

describe("policy pack served to the Pulumi engine (gRPC analyzer)", function () {
  this.timeout(60_000);
  let pack: ChildProcess;
  let client: AnalyzerClient;

  before(async () => {
    const started = await startPack();
    pack = started.child;
    client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });
  after(() => {
    client?.close();
    pack?.kill();
  });

  it("describes itself: name, version from policy/package.json, five mandatory policies", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>((r, cb) => client.getAnalyzerInfo(r, cb), new Empty());
    expect([info.getName(), info.getVersion()]).to.deep.equal(["kinesis-ingest", "0.1.0"]);
    expect(info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()])).to.deep.equal([
      ["kinesis-stream-encrypted", analyzer.EnforcementLevel.MANDATORY],
      ["kinesis-mapping-failure-handling", analyzer.EnforcementLevel.MANDATORY],
      ["iam-least-privilege", analyzer.EnforcementLevel.MANDATORY],
      ["lambda-active-tracing", analyzer.EnforcementLevel.MANDATORY],
      ["lambda-log-group-retention", analyzer.EnforcementLevel.MANDATORY],
    ]);
  });

  it("blocks an unencrypted stream (Analyze)", async () => {
    const type = "aws:kinesis/stream:Stream";
    const request = new analyzer.AnalyzeRequest()
      .setType(type)
      .setName("stream")
      .setUrn(URN(type, "stream"))
      .setProperties(Struct.fromJavaScript({ name: "kinesis-ingest-dev", shardCount: 1, encryptionType: "NONE" }))
      .setOptions(options());
    expect(
      diagnostics(await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>((r, cb) => client.analyze(r, cb), request)),
    ).to.deep.equal([
      [
        "kinesis-stream-encrypted",
        `${streamEncrypted.description}\n\`encryptionType\` must be "KMS" so records are encrypted at rest, got "NONE"`,
        // Analyze diagnostics name no URN: the engine attaches them to the resource it asked about.
        analyzer.EnforcementLevel.MANDATORY,
        "",
      ],
    ]);
  });

  it("passes a mapping whose destination is unknown during preview, checking the rest", async () => {
    const type = "aws:lambda/eventSourceMapping:EventSourceMapping";
    const request = new analyzer.AnalyzeRequest()
      .setType(type)
      .setName("m")
      .setUrn(URN(type, "m"))
      .setOptions(options())
      .setProperties(
        Struct.fromJavaScript({
          eventSourceArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/kinesis-ingest-dev",
          startingPosition: "LATEST",
          destinationConfig: { onFailure: { destinationArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
          bisectBatchOnFunctionError: true,
          functionResponseTypes: ["ReportBatchItemFailures"],
          maximumRecordAgeInSeconds: 3600,
          maximumRetryAttempts: 10_001,
        }),
      );
    expect(
      diagnostics(await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>((r, cb) => client.analyze(r, cb), request)),
    ).to.deep.equal([
      [
        "kinesis-mapping-failure-handling",
        `${mappingFailureHandling.description}\n\`maximumRetryAttempts\` must be set, -1 (until the record expires) or an integer from 0 to 10000, got 10001`,
        analyzer.EnforcementLevel.MANDATORY,
        "",
      ],
    ]);
  });

  it("blocks a function without a log group (AnalyzeStack), on the function's URN", async () => {
    const type = "aws:lambda/function:Function";
    const resource = new analyzer.AnalyzerResource()
      .setType(type)
      .setName("fn")
      .setUrn(URN(type, "fn"))
      .setOptions(options())
      .setProperties(Struct.fromJavaScript({ name: "kinesis-ingest-dev-ingest", tracingConfig: { mode: "Active" } }));
    const response = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      (r, cb) => client.analyzeStack(r, cb),
      new analyzer.AnalyzeStackRequest().setResourcesList([resource]),
    );
    expect(diagnostics(response)).to.deep.equal([
      [
        "lambda-log-group-retention",
        `${functionLogGroupRetention.description}\nLambda function kinesis-ingest-dev-ingest has no log group: create an aws:cloudwatch/logGroup:LogGroup named "/aws/lambda/kinesis-ingest-dev-ingest" with \`retentionInDays\` (otherwise Lambda creates one that keeps logs forever)`,
        analyzer.EnforcementLevel.MANDATORY,
        URN(type, "fn"),
      ],
    ]);
  });
});
