/** The start-up banner's notes (issue 12, smaller frictions): SINK_REJECT_FIELD, and real targetUrls. */
import { expect } from "chai";
import { startupNotes } from "../../local/banner";

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
});
