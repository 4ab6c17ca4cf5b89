/**
 * The local fronts' cache of Lambda authorizer answers (local/fronts/decision-cache.ts), as API Gateway and
 * AppSync cache them for the authorizer's TTL: a refusal is cached as an allow is, a TTL of 0 caches nothing.
 */
import { expect } from "chai";
import { DecisionCache } from "../../../local/fronts/decision-cache";

describe("local fronts: the authorizer decision cache", () => {
  let time = 1_000;
  const cache = () => new DecisionCache<string | undefined>(() => time);

  it("answers from the cache until the TTL has run, then not, and forgets the entry", () => {
    const c = cache();
    c.set("Bearer a", "allowed", 300);
    time += 299;
    expect(c.get("Bearer a")).to.deep.include({ value: "allowed" });
    time += 1;
    expect(c.get("Bearer a")).to.equal(undefined);
    time -= 300;
    expect(c.get("Bearer a")).to.equal(undefined);
  });

  it("keeps a refusal (undefined) apart from no entry, and caches nothing with a TTL of 0", () => {
    const c = cache();
    c.set("Bearer denied", undefined, 1000);
    expect(c.get("Bearer denied")).to.deep.equal({ value: undefined, until: time + 1000 });
    c.set("Bearer uncached", "allowed", 0);
    expect(c.get("Bearer uncached")).to.equal(undefined);
  });
});
