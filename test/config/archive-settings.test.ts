/**
 * The keys of an `archiver` consumer: defaults, S3 bucket naming rules (S3 guide, "General purpose bucket
 * naming rules"), key prefixes (S3 guide, "Naming Amazon S3 objects"), lifecycle days (S3 API,
 * LifecycleExpiration), and keys refused on other handlers. One test per message.
 */
import { expect } from "chai";
import { validateStackConfig } from "../../config";
import { problemsOf } from "./problems";

type Raw = Record<string, unknown>;
const archiver = (extra: Raw = {}): Raw => ({ consumers: { "s3-archive": { handler: "archiver", ...extra } } });
const NAMING = "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)";

describe("config: archiver settings (compression, bucketName, archivePrefix, archiveRetentionDays)", () => {
  it("defaults: gzip, the stack's bucket, prefix <consumer>/, 365 days", () => {
    const consumer = validateStackConfig(archiver()).consumers["s3-archive"]!;
    expect(consumer.archive).to.deep.equal({ compression: "gzip", prefix: "s3-archive/", retentionDays: 365 });
  });

  it("keeps what is set: an existing bucket, a prefix of its own, no compression", () => {
    const consumer = validateStackConfig(archiver({ bucketName: "acme.archive-01", archivePrefix: "events/raw/", compression: "none" }))
      .consumers["s3-archive"]!;
    expect(consumer.archive).to.deep.equal({ compression: "none", bucketName: "acme.archive-01", prefix: "events/raw/" });
  });

  it("a forwarder (or a custom consumer) has no archive settings", () => {
    expect(validateStackConfig({ consumers: { f: { handler: "forwarder" } } }).consumers.f!.archive).to.equal(undefined);
  });

  it("refuses a compression other than gzip or none", () => {
    expect(problemsOf(archiver({ compression: "zstd" }))).to.deep.equal([
      '`consumers.s3-archive.compression` must be one of gzip, none, got "zstd"',
    ]);
  });

  it("refuses a bucket name that is not a string", () => {
    expect(problemsOf(archiver({ bucketName: 42 }))).to.deep.equal([
      "`consumers.s3-archive.bucketName` must be the name of an existing S3 bucket (a string), got 42",
    ]);
  });

  it("refuses a bucket name shorter than 3 or longer than 63 characters", () => {
    expect(problemsOf(archiver({ bucketName: "a".repeat(64) }))).to.deep.equal([
      `\`consumers.s3-archive.bucketName\` is not an S3 bucket name: a bucket name must be 3 to 63 characters long (it has 64) ${NAMING}, got "${"a".repeat(64)}"`,
    ]);
  });

  it("refuses upper case, underscores, and names not starting and ending with a letter or digit", () => {
    expect(problemsOf(archiver({ bucketName: "My_Archive" }))).to.deep.equal([
      `\`consumers.s3-archive.bucketName\` is not an S3 bucket name: a bucket name may hold only lowercase letters, digits, \`.\` and \`-\`, and must start and end with a letter or digit ${NAMING}, got "My_Archive"`,
    ]);
  });

  it("refuses two adjacent periods", () => {
    expect(problemsOf(archiver({ bucketName: "acme..archive" }))).to.deep.equal([
      `\`consumers.s3-archive.bucketName\` is not an S3 bucket name: a bucket name must not contain two adjacent periods ${NAMING}, got "acme..archive"`,
    ]);
  });

  it("refuses a name formatted as an IP address", () => {
    expect(problemsOf(archiver({ bucketName: "192.168.5.4" }))).to.deep.equal([
      `\`consumers.s3-archive.bucketName\` is not an S3 bucket name: a bucket name must not be formatted as an IP address ${NAMING}, got "192.168.5.4"`,
    ]);
  });

  it("refuses the reserved prefixes and suffixes", () => {
    expect(problemsOf(archiver({ bucketName: "xn--archive" }))).to.deep.equal([
      `\`consumers.s3-archive.bucketName\` is not an S3 bucket name: a bucket name must not start with the reserved prefix \`xn--\` ${NAMING}, got "xn--archive"`,
    ]);
    expect(problemsOf(archiver({ bucketName: "archive-s3alias" }))).to.deep.equal([
      `\`consumers.s3-archive.bucketName\` is not an S3 bucket name: a bucket name must not end with the reserved suffix \`-s3alias\` ${NAMING}, got "archive-s3alias"`,
    ]);
  });

  it("refuses a prefix that does not end with /", () => {
    expect(problemsOf(archiver({ archivePrefix: "events" }))).to.deep.equal([
      '`consumers.s3-archive.archivePrefix` must end with / (the archive adds YYYY/MM/DD/HH/ after it), got "events"',
    ]);
  });

  it("refuses a prefix with characters S3 does not call safe in a key", () => {
    expect(problemsOf(archiver({ archivePrefix: "events raw/" }))).to.deep.equal([
      '`consumers.s3-archive.archivePrefix` may hold only the characters S3 calls safe in a key: letters, digits, `!-_.*\'()` and `/`, got "events raw/"',
    ]);
  });

  it("refuses a prefix starting with /, holding // or a .. segment", () => {
    for (const prefix of ["/events/", "events//raw/", "events/../"]) {
      expect(problemsOf(archiver({ archivePrefix: prefix }))).to.deep.equal([
        `\`consumers.s3-archive.archivePrefix\` must not start with /, hold //, or have a \`.\` or \`..\` segment, got ${JSON.stringify(prefix)}`,
      ]);
    }
  });

  it("refuses a prefix longer than 128 characters (its variable must fit the program's environment reserve)", () => {
    const prefix = `${"p".repeat(128)}/`;
    expect(problemsOf(archiver({ archivePrefix: prefix }))).to.deep.equal([
      `\`consumers.s3-archive.archivePrefix\` must be at most 128 characters (it has 129), got ${JSON.stringify(prefix)}`,
    ]);
  });

  it("refuses a prefix that is not a string", () => {
    expect(problemsOf(archiver({ archivePrefix: ["a/"] }))).to.deep.equal([
      '`consumers.s3-archive.archivePrefix` must be a key prefix ending with / (a string), got ["a/"]',
    ]);
  });

  it("refuses a retention of 0 days (a lifecycle expiration is a non-zero positive integer)", () => {
    expect(problemsOf(archiver({ archiveRetentionDays: 0 }))).to.deep.equal([
      "`consumers.s3-archive.archiveRetentionDays` must be an integer from 1 to 36500, got 0",
    ]);
  });

  it("refuses archiveRetentionDays with bucketName: the stack does not own that bucket's lifecycle", () => {
    expect(problemsOf(archiver({ bucketName: "acme-archive", archiveRetentionDays: 30 }))).to.deep.equal([
      "`consumers.s3-archive.archiveRetentionDays` cannot be set with `consumers.s3-archive.bucketName`: the stack does not own that bucket's lifecycle rules; expire its objects there, or remove `bucketName` to archive into the stack's bucket",
    ]);
  });

  it("refuses the archive keys on a forwarder, and the forwarder's keys on an archiver", () => {
    expect(problemsOf({ consumers: { f: { handler: "forwarder", compression: "gzip", bucketName: "acme-archive" } } })).to.deep.equal([
      '`consumers.f.compression` applies only to handler archiver; "forwarder" does not read it',
      '`consumers.f.bucketName` applies only to handler archiver; "forwarder" does not read it',
    ]);
    expect(problemsOf(archiver({ targetUrl: "https://example.com/", requestTimeoutMs: 1000 }))).to.deep.equal([
      '`consumers.s3-archive.targetUrl` applies only to handler forwarder; "archiver" does not read it',
      '`consumers.s3-archive.requestTimeoutMs` applies only to handler forwarder; "archiver" does not read it',
    ]);
  });

  it("refuses two archivers in one bucket whose prefixes nest", () => {
    const raw = {
      consumers: {
        all: { handler: "archiver", archivePrefix: "events/" },
        raw: { handler: "archiver", archivePrefix: "events/raw/" },
        other: { handler: "archiver", archivePrefix: "events/raw/", bucketName: "acme-archive" },
      },
    };
    expect(problemsOf(raw)).to.deep.equal([
      '`consumers.raw.archivePrefix` "events/raw/" lies inside `consumers.all.archivePrefix` "events/" in the stack\'s archive bucket: each archiver needs a prefix of its own',
    ]);
  });
});
