/** The start-up banner's notes on what could surprise: the sink refusing records (SINK_REJECT_FIELD), real targetUrls. */
import { expect } from "chai";
import { authLine, startupNotes } from "../../local/banner";

const sinkUrl = "http://127.0.0.1:3000/_local/sink";

describe("npm start: start-up notes", () => {
  it("says when SINK_REJECT_FIELD makes the sink refuse records", () => {
    expect(startupNotes({ targets: { forwarder: sinkUrl }, sinkUrl, forwardUrl: undefined, sinkRejectField: "poison" })).to.deep.equal([
      'note: SINK_REJECT_FIELD=poison: the sink refuses (422) every record whose data has "poison": true, to exercise the on-failure path',
    ]);
  });

  it("says which consumers deliver to a real targetUrl (--stack prod) unless FORWARD_URL is set", () => {
    const targets = { forwarder: "https://events.internal.example.com/v1/ingest", local: sinkUrl };
    expect(startupNotes({ targets, sinkUrl, forwardUrl: undefined, sinkRejectField: undefined })).to.deep.equal([
      `note: forwarder delivers to https://events.internal.example.com/v1/ingest, its targetUrl in the stack file: local records reach that real downstream; set FORWARD_URL (e.g. FORWARD_URL=${sinkUrl}) to deliver elsewhere`,
    ]);
    expect(
      startupNotes({
        targets: { forwarder: "http://127.0.0.1:9/x" },
        sinkUrl,
        forwardUrl: "http://127.0.0.1:9/x",
        sinkRejectField: undefined,
      }),
    ).to.deep.equal([]);
    expect(startupNotes({ targets: { forwarder: sinkUrl }, sinkUrl, forwardUrl: undefined, sinkRejectField: undefined })).to.deep.equal([]);
  });

  it("says how to call the front the stack deploys, per auth mode", () => {
    const url = "http://127.0.0.1:3000";
    expect([
      authLine({ front: "http-api", auth: "token" }, url, "s3cr3t"),
      authLine({ front: "rest-api", auth: "none", apiKey: "k-0123456789abcdefghij" }, url, "s3cr3t"),
      authLine({ front: "http-api", auth: "jwt", jwt: { issuer: "https://id.example.com", jwksUrl: "", tokensUrl: "" } }, url, "s3cr3t"),
      authLine(
        { front: "http-api", auth: "iam", iamCredentials: { accessKeyId: "AK", secretAccessKey: "SK", region: "us-east-1" } },
        url,
        "x",
      ),
    ]).to.deep.equal([
      "  auth: http-api, token: Authorization: Bearer s3cr3t",
      "  auth: rest-api, none: no credential; x-api-key: k-0123456789abcdefghij",
      "  auth: http-api, jwt: Authorization: Bearer $(kinesis-ingest token --endpoint http://127.0.0.1:3000) (iss https://id.example.com, JWKS http://127.0.0.1:3000/_local/jwks.json)",
      "  auth: http-api, iam: SigV4 for execute-api in us-east-1 with access key AK and secret SK",
    ]);
  });
});
