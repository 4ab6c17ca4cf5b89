/**
 * The consumers' transitions through `npm run synth -- --against` (synth/against.ts): a consumer added,
 * removed and renamed; `fanOutConsumer`, `replayFrom`, `fifo` and table keys changed; the archiver removed.
 * Each asserts what happens to the resource the change is about (action, inputs) and the verdict (loses data,
 * re-reads) (docs/day-2.md, README "Changing a stack"); every setting alone: transitions-settings.test.ts.
 */
import { expect } from "chai";
import { BASE, changeOf, summary, transition, verdictOf, withConsumer, withSection, type Raw } from "./transitions-support";

const MAPPING = "consumer-forwarder-mapping";
const FUNCTION = "consumer-forwarder-fn-function";

describe("synth --against: consumers added, removed, renamed", function () {
  this.timeout(120_000);

  it("a consumer added: only creates (what is built from the new resources is unknown, not compared); nothing re-read", async () => {
    const changes = await transition(BASE, withConsumer(BASE, "audit-2", { handler: "forwarder", targetUrl: "https://x.example.com" }));
    expect(changes.filter((c) => c.action !== "create")).to.deep.equal([]);
    expect(verdictOf(changes, "consumer-audit-2-mapping")).to.deep.equal(["create", [], false, false]);
    expect(changes.filter((c) => c.dataLoss || c.rereads)).to.deep.equal([]);
  });

  it("a consumer removed: its function and mapping deleted; its queue and table retained, no longer managed", async () => {
    const changes = await transition(BASE, withConsumer(BASE, "forwarder", null));
    expect(verdictOf(changes, MAPPING)).to.deep.equal(["delete", [], false, false]);
    expect(verdictOf(changes, FUNCTION)).to.deep.equal(["delete", [], false, false]);
    for (const retained of ["consumer-forwarder-dlq", "consumer-forwarder-totals-table"]) {
      expect(verdictOf(changes, retained)).to.deep.equal(["delete", [], false, false]);
      expect(changeOf(changes, retained).why).to.match(/^retained, no longer managed: it stays in AWS with its (messages|items)/);
    }
  });

  it("a consumer renamed: the new mapping does not take over the position, it re-reads (TRIM_HORIZON)", async () => {
    const { forwarder, ...rest } = BASE.consumers as Record<string, Raw>;
    const changes = await transition(BASE, { ...BASE, consumers: { ...rest, relay: forwarder } });
    expect(verdictOf(changes, "consumer-relay-mapping")).to.deep.equal(["create", [], false, true]);
    expect(changeOf(changes, "consumer-relay-mapping").why).to.contain(`created as ${MAPPING}, on the same source, is deleted`);
    expect(verdictOf(changes, MAPPING)).to.deep.equal(["delete", [], false, false]);
    expect(verdictOf(changes, "consumer-forwarder-totals-table")).to.deep.equal(["delete", [], false, false]);
  });

  it("renamed from LATEST: the records the old one had not read are skipped, which loses data", async () => {
    const latest = withConsumer(BASE, "forwarder", { startingPosition: "LATEST" });
    const { forwarder, ...rest } = latest.consumers as Record<string, Raw>;
    const changes = await transition(latest, { ...latest, consumers: { ...rest, relay: forwarder } });
    expect(verdictOf(changes, "consumer-relay-mapping")).to.deep.equal(["create", [], true, true]);
  });
});

describe("synth --against: fanOutConsumer, replayFrom, fifo, table keys, the archiver", function () {
  this.timeout(120_000);
  const efo = withConsumer(BASE, "forwarder", { fanOutConsumer: "efo" });

  it("fanOutConsumer added, removed, renamed: its mapping's event source changes, so it is replaced and re-reads", async () => {
    for (const [before, after, label] of [
      [BASE, efo, "added"],
      [efo, BASE, "removed"],
      [efo, withConsumer(BASE, "forwarder", { fanOutConsumer: "efo-b" }), "renamed"],
    ] as const) {
      const changes = await transition(before, after);
      expect(verdictOf(changes, MAPPING), label).to.deep.equal(["replace", ["eventSourceArn"], false, true]);
      expect(changeOf(changes, MAPPING).why, label).to.contain("delete-first").and.contain("starts at TRIM_HORIZON");
    }
  });

  it("fanOutConsumer added with its fan-out consumer: the new consumer's ARN is unknown, the mapping may be replaced", async () => {
    const after = withConsumer(withSection(BASE, "stream", { fanOutConsumers: ["efo", "efo-b", "efo-c"] }), "forwarder", {
      fanOutConsumer: "efo-c",
    });
    const changes = await transition(BASE, after);
    expect(verdictOf(changes, "stream-fan-out-efo-c")).to.deep.equal(["create", [], false, false]);
    expect(verdictOf(changes, MAPPING)).to.deep.equal(["replace", ["eventSourceArn"], false, true]);
    expect(changeOf(changes, MAPPING).why).to.match(
      /^may be replaced \(eventSourceArn comes from stream-fan-out-efo-c, which this change creates/,
    );
  });

  it("the safe way (README): fanOutConsumer with AT_TIMESTAMP re-reads from the time and loses nothing", async () => {
    const latest = withConsumer(BASE, "forwarder", { startingPosition: "LATEST" });
    const safe = withConsumer(efo, "forwarder", { startingPosition: "AT_TIMESTAMP", startingPositionTimestamp: "2026-03-01T06:00:00Z" });
    const changes = await transition(latest, safe);
    expect(verdictOf(changes, MAPPING)).to.deep.equal([
      "replace",
      ["eventSourceArn", "startingPosition", "startingPositionTimestamp"],
      false,
      true,
    ]);
    expect(changes.some((c) => c.dataLoss)).to.equal(false);
  });

  it("replayFrom added then removed: a second mapping that re-reads from the time, then deleted", async () => {
    const replay = withConsumer(BASE, "forwarder", { replayFrom: "2026-03-01T06:00:00Z" });
    const added = await transition(BASE, replay);
    expect(verdictOf(added, "consumer-forwarder-replay-mapping")).to.deep.equal(["create", [], false, true]);
    expect(changeOf(added, "consumer-forwarder-replay-mapping").why).to.contain("starts at 2026-03-01T06:00:00Z");
    expect(summary(added)).to.deep.equal(["create consumer-forwarder-replay", "create consumer-forwarder-replay-mapping"]);
    const removed = await transition(replay, BASE);
    expect(summary(removed)).to.deep.equal([
      "update dashboard-dashboard",
      "delete consumer-forwarder-replay",
      "delete consumer-forwarder-replay-mapping",
    ]);
    expect(removed.some((c) => c.dataLoss || c.rereads)).to.equal(false);
  });

  it("fifo toggled on sqs and sns: a new queue or topic (.fifo), the old one retained with its data: loses data", async () => {
    const sqs = await transition(BASE, withConsumer(BASE, "orders", { fifo: true }));
    expect(verdictOf(sqs, "consumer-orders-target-queue")).to.deep.equal(["replace", ["fifoQueue", "name"], true, false]);
    expect(changeOf(sqs, "consumer-orders-target-queue").why).to.contain("the old one is retained with its messages, no longer managed");
    const sns = await transition(withConsumer(BASE, "audit", { fifo: true }), BASE);
    expect(verdictOf(sns, "consumer-audit-target-topic")).to.deep.equal(["replace", ["fifoTopic", "name"], true, false]);
  });

  it("a table's partitionKey or sortKey changed: a new table of the same name, which fails (dev) or is refused (prod)", async () => {
    const sorted = withConsumer(BASE, "forwarder", { tables: { totals: { partitionKey: "id", sortKey: "day" } } });
    const dev = await transition(BASE, sorted);
    expect(verdictOf(dev, "consumer-forwarder-totals-table")).to.deep.equal(["replace", ["rangeKey"], true, false]);
    expect(changeOf(dev, "consumer-forwarder-totals-table").why).to.contain(
      'under the same name kinesis-ingest-dev-forwarder-totals: the new one\'s create fails ("already exists")',
    );
    const prod = await transition(BASE, withConsumer(BASE, "forwarder", { tables: { totals: { partitionKey: "key" } } }), "prod");
    expect(verdictOf(prod, "consumer-forwarder-totals-table")).to.deep.equal(["replace", ["hashKey"], true, false]);
    expect(changeOf(prod, "consumer-forwarder-totals-table").why).to.contain("protected (lifecycle.protect), so pulumi up refuses it");
  });

  it("the archiver removed: the bucket and its settings retained, not lost (refused on prod until unprotected)", async () => {
    const changes = await transition(BASE, withConsumer(BASE, "archive", null));
    expect(verdictOf(changes, "kinesis-ingest-dev-archive-bucket")).to.deep.equal(["delete", [], false, false]);
    expect(changeOf(changes, "kinesis-ingest-dev-archive-bucket").why).to.match(
      /^retained, no longer managed: it stays in AWS with its objects/,
    );
    expect(changeOf(changes, "kinesis-ingest-dev-archive-encryption").why).to.equal("retained, no longer managed: it stays in AWS");
    expect(changes.some((c) => c.dataLoss || c.rereads)).to.equal(false);
    const prod = await transition(BASE, withConsumer(BASE, "archive", null), "prod");
    expect(changeOf(prod, "kinesis-ingest-prod-archive-bucket").why).to.match(
      /^protected \(lifecycle.protect\): pulumi up refuses to delete it/,
    );
  });
});
