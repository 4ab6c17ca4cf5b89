/** The one error classifier and the one backoff (docs/aws-semantics.md#retries-and-backoff). */
import { expect } from "chai";
import { backoffDelay, sleep } from "../../semantics/backoff";
import { awsErrorName, classifyAwsError, describeError, isRetriableEntryError } from "../../semantics/errors";

const named = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(name), { name }, extra);

describe("semantics: error classifier", () => {
  it("Kinesis 'PutRecords' errors: ProvisionedThroughputExceededException and KMSThrottlingException are throttles", () => {
    expect(classifyAwsError(named("ProvisionedThroughputExceededException"))).to.equal("throttle");
    expect(classifyAwsError(named("KMSThrottlingException"))).to.equal("throttle");
    expect(classifyAwsError(named("TooManyRequestsException"))).to.equal("throttle");
  });

  it("'Error retries and exponential backoff in AWS': service faults, 5xx and dropped connections are retried", () => {
    expect(classifyAwsError(named("InternalFailure"))).to.equal("retry");
    expect(classifyAwsError(named("ServiceUnavailableException"))).to.equal("retry");
    expect(classifyAwsError(named("UnknownError", { $metadata: { httpStatusCode: 502 } }))).to.equal("retry");
    expect(classifyAwsError(named("Error", { code: "ECONNREFUSED" }))).to.equal("retry");
    expect(classifyAwsError({ code: "ECONNRESET" })).to.equal("retry");
    expect(classifyAwsError(named("UnknownError", { $metadata: { httpStatusCode: 429 } }))).to.equal("throttle");
  });

  it("'Error retries and exponential backoff in AWS': validation, access and missing-resource errors are permanent", () => {
    expect(classifyAwsError(named("ResourceNotFoundException", { $metadata: { httpStatusCode: 400 } }))).to.equal("permanent");
    expect(classifyAwsError(named("AccessDeniedException"))).to.equal("permanent");
    expect(classifyAwsError("a string")).to.equal("permanent");
    expect(classifyAwsError(null)).to.equal("permanent");
  });

  it("Kinesis 'PutRecords': an entry's ProvisionedThroughputExceededException or InternalFailure is resent, KMSAccessDeniedException is not", () => {
    expect(
      ["ProvisionedThroughputExceededException", "InternalFailure", "KMSThrottlingException"].map(isRetriableEntryError),
    ).to.deep.equal([true, true, true]);
    expect(["KMSAccessDeniedException", "KMSNotFoundException", "ValidationException"].map(isRetriableEntryError)).to.deep.equal([
      false,
      false,
      false,
    ]);
  });

  it("names and describes errors for one-line reports", () => {
    expect(awsErrorName(named("ExpiredIteratorException"))).to.equal("ExpiredIteratorException");
    expect(awsErrorName({ code: "EPIPE" })).to.equal("EPIPE");
    expect(awsErrorName(42)).to.equal(undefined);
    expect(describeError(named("Error", { code: "ECONNRESET", message: "socket hang up" }))).to.equal("Error (ECONNRESET): socket hang up");
    expect(describeError("plain")).to.equal("plain");
  });
});

describe("semantics: full-jitter backoff", () => {
  it("'Exponential Backoff and Jitter': retry 0 waits up to base, each retry doubles the ceiling, capped at max", () => {
    const ceiling = (retry: number) => backoffDelay(retry, { baseMs: 100, maxMs: 1000 }, () => 1);
    expect([0, 1, 2, 3, 4, 40].map(ceiling)).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(5, { baseMs: 100, maxMs: 1000 }, () => 0)).to.equal(0);
    expect(backoffDelay(1, {}, () => 0.5)).to.equal(100); // defaults: base 100 ms, max 5 s
  });

  it("stays within [0, ceiling) with the real random source", () => {
    for (let i = 0; i < 200; i++) expect(backoffDelay(2, { baseMs: 10, maxMs: 1000 })).to.be.within(0, 40);
  });

  it("sleep resolves at once when its signal aborts, and never rejects", async () => {
    const abort = new AbortController();
    const started = Date.now();
    const sleeping = sleep(10_000, abort.signal);
    abort.abort();
    await sleeping;
    expect(Date.now() - started).to.be.below(1000);
    await sleep(-5);
    await sleep(5, abort.signal);
  });
});
