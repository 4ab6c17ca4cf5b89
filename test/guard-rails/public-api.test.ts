/**
 * The libraries as a user's TypeScript file imports them: by the package's names (`package.json` `exports`,
 * resolved by `tsc` through `tsconfig.json` `paths` and at run time by Node's package self-reference), each
 * with one error root whose named subclasses are exported.
 */
import { expect } from "chai";
import * as client from "kinesis-ingest/client";
import * as consumer from "kinesis-ingest/consumer";

/** The exported classes of a module whose prototype chain reaches `root`. */
function errorClasses(module: Record<string, unknown>, root: abstract new (...args: never[]) => Error): string[] {
  return Object.entries(module)
    .filter(([, value]) => typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof root)
    .map(([name]) => name)
    .sort();
}

describe("public API: kinesis-ingest/client and kinesis-ingest/consumer", () => {
  it("consumer: every error class it exports extends ConsumerError, except the secrets' own root", () => {
    expect(errorClasses(consumer, consumer.ConsumerError)).to.deep.equal(
      [
        "DeliveryError",
        "IdempotencyStoreError",
        "InvalidEventError",
        "OversizeRecordError",
        "ParameterError",
        "ParameterNotFoundError",
        "PermanentRecordError",
        "WindowStateTooLargeError",
      ].sort(),
    );
    expect(errorClasses(consumer, consumer.SecretError)).to.deep.equal([
      "SecretFormatError",
      "SecretNotFoundError",
      "SecretUnavailableError",
    ]);
    const other = Object.entries(consumer).filter(
      ([name, value]) =>
        typeof value === "function" &&
        (value as { prototype?: unknown }).prototype instanceof Error &&
        !/^(Consumer|Secret)Error$/.test(name),
    );
    for (const [name, value] of other) {
      const proto = (value as { prototype: unknown }).prototype;
      expect(proto instanceof consumer.ConsumerError || proto instanceof consumer.SecretError, name).to.equal(true);
    }
  });

  it("a permanent failure is told apart by class, and names itself", () => {
    const error = new consumer.OversizeRecordError(10, 5);
    expect(error).to.be.instanceOf(consumer.PermanentRecordError).and.instanceOf(consumer.ConsumerError);
    expect(error.name).to.equal("OversizeRecordError");
    expect(new consumer.InvalidEventError("x").name).to.equal("InvalidEventError");
  });

  it("client: every error class it exports extends ProducerError", () => {
    expect(errorClasses(client, client.ProducerError)).to.deep.equal(["ProducerClosedError", "RecordDeadlineError", "RecordRejectedError"]);
  });
});
