/**
 * API Gateway's throttling and the REST usage plan's daily quota on the local fronts: a stage's token bucket
 * holds `burstLimit` requests and refills at `rateLimit` a second; a usage plan adds its own throttle and
 * `dailyQuota` requests per UTC day. Refusals are 429: HTTP API's own `{"message":"Too Many Requests"}`, the
 * REST API's THROTTLED and QUOTA_EXCEEDED gateway responses in the contract's shape ("Throttle requests to
 * your REST APIs for better throughput in API Gateway"; "Gateway response types for API Gateway"). An ALB
 * does not throttle.
 */
import { expect } from "chai";
import { THROTTLE_MESSAGES, UsagePlan, RequestThrottle } from "../../../local/fronts/throttle";
import type { RunningLocalStack } from "../../../local/stack";
import { send, startWithApi, TOKEN } from "./support";

const POST = {
  method: "POST",
  path: "/records",
  headers: { authorization: `Bearer ${TOKEN}`, "x-api-key": "local-api-key-0123456789abcdef" },
};
const HEALTH = { method: "GET", path: "/health" };

/** The statuses and bodies of `count` requests sent one after another. */
async function answers(url: string, request: typeof POST | typeof HEALTH, count: number): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  for (let i = 0; i < count; i++) {
    const response = await send(url, request);
    out.push([response.status, await response.text()]);
  }
  return out;
}

describe("local fronts: throttling and the daily quota", function () {
  this.timeout(60_000);

  describe("the token bucket and the quota (fake clock)", () => {
    it("a stage admits burstLimit requests at once, then rateLimit a second", () => {
      let now = 0;
      const throttle = new RequestThrottle({ rateLimit: 2, burstLimit: 3 }, () => now);
      expect([1, 2, 3, 4].map(() => throttle.admit())).to.deep.equal([undefined, undefined, undefined, "THROTTLED"]);
      now = 500; // one token back
      expect([throttle.admit(), throttle.admit()]).to.deep.equal([undefined, "THROTTLED"]);
    });

    it("a usage plan counts served requests per UTC day; throttled ones do not count", () => {
      let now = Date.parse("2026-12-01T23:59:57.000Z");
      const plan = new UsagePlan({ rateLimit: 1, burstLimit: 1, dailyQuota: 2 }, () => now);
      const admitAt = (iso: string) => ((now = Date.parse(iso)), plan.admit());
      expect(admitAt("2026-12-01T23:59:57.000Z")).to.equal(undefined);
      expect(admitAt("2026-12-01T23:59:58.000Z")).to.equal(undefined);
      expect(admitAt("2026-12-01T23:59:59.000Z")).to.equal("QUOTA_EXCEEDED");
      // A new UTC day, a fresh quota; the throttled request in between is not counted.
      expect(admitAt("2026-12-02T00:00:00.000Z")).to.equal(undefined);
      expect(admitAt("2026-12-02T00:00:00.001Z")).to.equal("THROTTLED");
      expect(admitAt("2026-12-02T00:00:01.001Z")).to.equal(undefined);
      expect(admitAt("2026-12-02T00:00:02.001Z")).to.equal("QUOTA_EXCEEDED");
    });

    it("a quota of 0 means none", () => {
      let now = 0;
      const plan = new UsagePlan({ rateLimit: 1000, burstLimit: 1000, dailyQuota: 0 }, () => now);
      for (let i = 0; i < 5000; i++, now += 1) expect(plan.admit()).to.equal(undefined);
    });
  });

  describe("on the local stack, through its port", () => {
    let stack: RunningLocalStack | undefined;
    afterEach(async () => {
      await stack?.stop();
      stack = undefined;
    });

    it("http-api: past the burst, 429 with API Gateway's own body, /health included", async () => {
      stack = await startWithApi({ front: "http-api", auth: "token", rateLimit: 1, burstLimit: 2 });
      const got = await answers(stack.url, HEALTH, 3);
      expect(got.map(([status]) => status)).to.deep.equal([200, 200, 429]);
      expect(got[2]![1]).to.equal(JSON.stringify({ message: THROTTLE_MESSAGES.THROTTLED }));
    });

    it("rest-api: past the burst, 429 THROTTLED in the contract's shape", async () => {
      stack = await startWithApi({ front: "rest-api", auth: "token", rateLimit: 1, burstLimit: 2 });
      const got = await answers(stack.url, HEALTH, 3);
      expect(got).to.deep.equal([
        [200, '{"status":"ok"}'],
        [200, '{"status":"ok"}'],
        [429, JSON.stringify({ error: { code: "THROTTLED", message: "Too Many Requests" } })],
      ]);
    });

    it("rest-api: past dailyQuota keyed requests, 429 QUOTA_EXCEEDED; the open /health is not counted", async () => {
      stack = await startWithApi({ front: "rest-api", auth: "token", dailyQuota: 2 });
      const posted = await answers(stack.url, POST, 3);
      expect(posted.map(([status]) => status)).to.deep.equal([200, 200, 429]);
      expect(posted[2]![1]).to.equal(JSON.stringify({ error: { code: "QUOTA_EXCEEDED", message: "Limit Exceeded" } }));
      expect((await answers(stack.url, HEALTH, 1))[0]![0]).to.equal(200);
    });

    it("alb: no throttling (an ALB has none)", async () => {
      stack = await startWithApi({ front: "alb", auth: "none", rateLimit: 1, burstLimit: 1 });
      expect((await answers(stack.url, HEALTH, 5)).map(([status]) => status)).to.deep.equal([200, 200, 200, 200, 200]);
    });
  });
});
