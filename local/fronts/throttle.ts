/**
 * API Gateway's request throttling and the REST API usage plan's daily quota, as the program configures them
 * (`api.rateLimit`, `api.burstLimit`, `api.dailyQuota`): a token bucket per stage that starts full with
 * `burstLimit` requests and refills at `rateLimit` a second, and a count of requests per UTC day. What is
 * refused is answered 429, "Too Many Requests" when throttled and "Limit Exceeded" over the quota
 * (docs/aws-semantics.md#api-throttling-and-quota).
 */
import { systemClock, TokenBucket, type Clock } from "../limits/token-bucket";

/** Why a request was refused: the gateway response type it is answered with. */
export type ThrottleRefusal = "THROTTLED" | "QUOTA_EXCEEDED";

/** The messages API Gateway gives each refusal (`$context.error.messageString` in a REST gateway response). */
export const THROTTLE_MESSAGES: Readonly<Record<ThrottleRefusal, string>> = {
  THROTTLED: "Too Many Requests",
  QUOTA_EXCEEDED: "Limit Exceeded",
};

/** The throttle settings a stage or a usage plan has. */
export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** A stage's (or a route's) request throttle. */
export class RequestThrottle {
  private readonly bucket: TokenBucket;

  constructor(settings: ThrottleSettings, clock: Clock = systemClock) {
    this.bucket = new TokenBucket(settings.rateLimit, settings.burstLimit, clock);
  }

  /** Takes one request's token; "THROTTLED" when the bucket is empty. */
  admit(): ThrottleRefusal | undefined {
    return this.bucket.tryTake(1) ? undefined : "THROTTLED";
  }
}

/**
 * A usage plan for one API key: its throttle, then its quota of `dailyQuota` requests per UTC day (0: none).
 * A throttled request is not served, so it does not count against the quota.
 */
export class UsagePlan {
  private readonly throttle: RequestThrottle;
  private readonly dailyQuota: number;
  /** The UTC day (`YYYY-MM-DD`) `used` counts. */
  private day = "";
  private used = 0;

  constructor(
    settings: ThrottleSettings & { readonly dailyQuota: number },
    private readonly clock: Clock = systemClock,
  ) {
    this.throttle = new RequestThrottle(settings, clock);
    this.dailyQuota = settings.dailyQuota;
  }

  /** Admits one request, or says which limit refused it. */
  admit(): ThrottleRefusal | undefined {
    const throttled = this.throttle.admit();
    if (throttled) return throttled;
    if (this.dailyQuota === 0) return undefined;
    const day = new Date(this.clock()).toISOString().slice(0, 10);
    if (day !== this.day) [this.day, this.used] = [day, 0];
    if (this.used >= this.dailyQuota) return "QUOTA_EXCEEDED";
    this.used += 1;
    return undefined;
  }
}
