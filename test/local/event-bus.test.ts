/**
 * The local PutEvents stand-in answers as EventBridge documents (PutEvents, PutEventsRequestEntry,
 * "Calculating PutEvents event entry size"): per entry with FailedEntryCount and Entries in request order,
 * `MalformedDetail` for a Detail that is not a JSON object, `InvalidArgument` for a bad Source, and the
 * whole call refused for more than 10 entries, entries over 256 KB in all or a bus that does not exist.
 */
import { expect } from "chai";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { LOCAL_REGION } from "../../local/emulators";
import { startEventBus, type LocalEventBus } from "../../local/event-bus";

describe("local stack: the EventBridge PutEvents stand-in", () => {
  let bus: LocalEventBus;
  let client: EventBridgeClient;
  before(async () => {
    bus = await startEventBus();
    client = new EventBridgeClient({
      endpoint: bus.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await bus.stop();
  });
  const entry = (detail: string, source = "shop.orders") => ({ Source: source, DetailType: "Order", Detail: detail });
  const refusal = async (entries: ReturnType<typeof entry>[], eventBusName?: string) => {
    try {
      await client.send(new PutEventsCommand({ Entries: entries.map((e) => ({ ...e, EventBusName: eventBusName })) }));
    } catch (error) {
      return [(error as Error).name, (error as Error).message];
    }
    return undefined;
  };

  it("answers entry by entry: an accepted event, MalformedDetail, an invalid Source", async () => {
    const answer = await client.send(new PutEventsCommand({ Entries: [entry('{"id":1}'), entry("[1]"), entry("{}", "aws.orders")] }));
    expect(answer.FailedEntryCount).to.equal(2);
    expect(answer.Entries!.map((e) => e.ErrorCode ?? "ok")).to.deep.equal(["ok", "MalformedDetail", "InvalidArgument"]);
    expect(answer.Entries![0]!.EventId).to.match(/^[0-9a-f-]{36}$/);
    expect(bus.events().map((e) => [e.source, e["detail-type"], e.detail, e.eventBusName])).to.deep.equal([
      ["shop.orders", "Order", { id: 1 }, "default"],
    ]);
  });

  it("refuses 11 entries as a whole", async () => {
    expect(await refusal(Array.from({ length: 11 }, () => entry("{}")))).to.deep.equal([
      "ValidationException",
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",
    ]);
  });

  it("refuses entries over 256 KB in all, counted as EventBridge counts them", async () => {
    const detail = (n: number) => `{"p":"${"x".repeat(n)}"}`;
    // Source (11) + DetailType (5) + Detail (n + 8) each: two entries with n = 131,048 are exactly 262,144 bytes.
    expect(await refusal([entry(detail(131_048)), entry(detail(131_048))])).to.equal(undefined);
    expect(await refusal([entry(detail(131_048)), entry(detail(131_049))])).to.deep.equal([
      "ValidationException",
      "Total size of the entries in the request is over the limit.",
    ]);
  });

  it("refuses a bus that does not exist, and takes one once created", async () => {
    expect(await refusal([entry("{}")], "orders")).to.deep.equal(["ResourceNotFoundException", "Event bus orders does not exist."]);
    const arn = bus.createBus("orders");
    expect(await refusal([entry("{}")], arn)).to.equal(undefined);
    expect(bus.events().at(-1)!.eventBusName).to.equal("orders");
  });
});
