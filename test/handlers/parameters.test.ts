/**
 * The consumer runtime's Parameter Store reads (handlers/lib/parameters.ts), as Powertools' Parameters utility
 * reads: a value cached per name for a TTL (5 s by default), concurrent reads sharing one call, failures not
 * cached, SecureStrings asked WithDecryption, GetParameters in calls of at most 10 names (its `Names` limit).
 */
import { expect } from "chai";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { getParameter, getParameters, invalidateParameter, ParameterNotFoundError } from "../../handlers/lib/consumer";

type Sent = { name: string; input: Record<string, unknown> };

/** A client answering from `values`, recording every command. */
function fakeClient(values: Record<string, string>, sent: Sent[]): Pick<SSMClient, "send"> {
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    sent.push({ name: command.constructor.name, input: command.input });
    if (command.constructor.name === "GetParameterCommand") {
      const name = command.input.Name as string;
      if (!(name in values)) throw Object.assign(new Error("not found"), { name: "ParameterNotFound" });
      return { Parameter: { Name: name, Value: values[name] } };
    }
    const names = command.input.Names as string[];
    return {
      Parameters: names.filter((n) => n in values).map((n) => ({ Name: n, Value: values[n] })),
      InvalidParameters: names.filter((n) => !(n in values)),
    };
  };
  return { send };
}

describe("handlers: getParameter (a TTL cache, as Powertools' Parameters utility)", () => {
  afterEach(() => invalidateParameter());

  it("reads once within the TTL, again after it, decrypting; concurrent reads share one call", async () => {
    const sent: Sent[] = [];
    let now = 0;
    const options = { client: fakeClient({ "/p/a": "one" }, sent), now: () => now };
    expect(await Promise.all([getParameter("/p/a", options), getParameter("/p/a", options)])).to.deep.equal(["one", "one"]);
    now = 4_999;
    await getParameter("/p/a", options);
    expect(sent).to.deep.equal([{ name: "GetParameterCommand", input: { Name: "/p/a", WithDecryption: true } }]);
    now = 5_000;
    await getParameter("/p/a", options);
    await getParameter("/p/a", { ...options, maxAgeMs: 60_000 });
    expect(sent).to.have.length(2);
  });

  it("names a missing parameter, and does not cache the failure", async () => {
    const sent: Sent[] = [];
    const options = { client: fakeClient({}, sent) };
    for (let i = 0; i < 2; i++) {
      const error = await getParameter("/p/missing", options).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ParameterNotFoundError);
      expect((error as Error).message).to.equal("Parameter /p/missing does not exist");
    }
    expect(sent).to.have.length(2);
  });

  it("getParameters asks at most 10 names a call, only for the ones not fresh in the cache", async () => {
    const values = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/p/${i}`, `v${i}`]));
    const sent: Sent[] = [];
    const options = { client: fakeClient(values, sent) };
    await getParameter("/p/0", options);
    const read = await getParameters(Object.keys(values), options);
    expect(read).to.deep.equal(values);
    expect(sent.slice(1).map((s) => (s.input.Names as string[]).length)).to.deep.equal([10, 1]);
  });
});
