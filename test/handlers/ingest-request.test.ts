/**
 * The request parser's two fast paths, each checked against an oracle on many generated inputs:
 * `data` stored as the exact bytes sent (json-spans.ts vs `JSON.parse`), and strict base64 without a
 * regular expression (vs the RFC 4648 pattern).
 */
import { expect } from "chai";
import { BadRequestError } from "../../handlers/lib/errors";
import { parseIngestBody } from "../../handlers/lib/ingest-request";
import { dataSpans } from "../../handlers/lib/json-spans";

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random JSON text with random whitespace, escapes, non-ASCII, duplicate and escaped keys. */
function jsonGenerator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ws = () => pick(["", "", " ", "\n  ", "\t", " \r\n"]);
  const strings = [
    '"a"',
    '""',
    '"say \\"hi\\""',
    '"back\\\\slash\\\\"',
    '"é🔑ключ"',
    '"\\u00e9\\ud83d\\udd11"',
    '"}]{["',
    '"\\\\"',
    '"tab\\tnl\\n"',
  ];
  const scalars = ["0", "-1.5e-7", "12345678901234567890", "1E+2", "true", "false", "null", ...strings];
  const value = (depth: number): string => {
    const roll = random();
    if (depth > 3 || roll < 0.5) return pick(scalars);
    if (roll < 0.75)
      return `[${ws()}${Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
    const members = Array.from(
      { length: Math.floor(random() * 4) },
      () => `${pick(['"k"', '"data"', '"records"', '"x\\"y"'])}${ws()}:${ws()}${value(depth + 1)}`,
    );
    return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
  };
  const record = (): string => {
    const roll = random();
    if (roll < 0.1) return pick(scalars);
    if (roll < 0.15) return value(2);
    const members: string[] = [];
    for (let i = Math.floor(random() * 4); i >= 0; i--) {
      const key = pick(['"data"', '"data"', '"d\\u0061ta"', '"partitionKey"', '"dataBase64"', '"other"']);
      members.push(`${key}${ws()}:${ws()}${value(0)}`);
    }
    return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
  };
  const records = () => `[${ws()}${Array.from({ length: 1 + Math.floor(random() * 6) }, record).join(`${ws()},${ws()}`)}${ws()}]`;
  return (): string => {
    const members = [`"records"${ws()}:${ws()}${records()}`];
    if (random() < 0.2) members.unshift(`"records"${ws()}:${ws()}${pick([records(), "null", '"x"'])}`);
    if (random() < 0.1) members.push(`"records"${ws()}:${ws()}${pick([records(), "null", '"x"'])}`);
    if (random() < 0.2) members.push(`"other"${ws()}:${ws()}${value(0)}`);
    return `${ws()}{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}${ws()}`;
  };
}

describe("json-spans: where each record's data lies in the body", () => {
  it("agrees with JSON.parse on 5,000 generated bodies (whitespace, escapes, non-ASCII, duplicate keys)", () => {
    const random = prng(20250312);
    const generate = jsonGenerator(random);
    for (let n = 0; n < 5000; n++) {
      const text = generate();
      const bytes = Buffer.from(text, "utf8");
      const parsed = JSON.parse(text) as { records: unknown };
      const spans = dataSpans(bytes);
      const records = Array.isArray(parsed.records) ? parsed.records : [];
      expect(spans.length, text).to.equal(records.length);
      records.forEach((record: unknown, i) => {
        const data =
          typeof record === "object" && record !== null && !Array.isArray(record) ? (record as { data?: unknown }).data : undefined;
        if (data === undefined) {
          expect(spans[i], `${text} [${i}]`).to.equal(undefined);
        } else {
          const [start, end] = spans[i]!;
          expect(JSON.parse(bytes.toString("utf8", start, end)), `${text} [${i}]`).to.deep.equal(data);
        }
      });
    }
  });

  it("stores data byte for byte as sent: spacing, number spelling and escapes kept", () => {
    const value = '{ "n" : 12345678901234567890, "e": 1E+2, "s" : "\\u00e9 é" }';
    const [record] = parseIngestBody(`{"records":[ {"partitionKey":"ключ", "data" : ${value} } ]}`);
    expect(record!.data.toString("utf8")).to.equal(value);
  });

  it("refuses a string body holding a raw unpaired surrogate (UTF-8 has no form for it) instead of storing U+FFFD", () => {
    // JSON.parse accepts it; the same text sent as bytes is refused as invalid UTF-8. Written as the escape \ud800 it is stored as sent.
    const refuse = () => parseIngestBody('{"records":[{"data":"a\ud800b"}]}');
    expect(refuse).to.throw(BadRequestError, "The request body is not valid Unicode text: it holds an unpaired surrogate.");
    expect(parseIngestBody('{"records":[{"data":"a\\ud800b"}]}')[0]!.data.toString("utf8")).to.equal('"a\\ud800b"');
  });

  it("finds byte offsets in base64-transported bodies with multi-byte characters before the data", () => {
    const body = Buffer.from('{"records":[{"partitionKey":"ключ-🔑","data":"é🔑"},{"data":[1,"ü"]}]}');
    expect(parseIngestBody(body).map((r) => [r.partitionKey, r.data.toString("utf8")])).to.deep.equal([
      ["ключ-🔑", '"é🔑"'],
      [undefined, '[1,"ü"]'],
    ]);
  });
});

describe("strict base64 in dataBase64", () => {
  const RFC4648 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})?$/;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const noise = "=-_ !.\n\u00e9";

  it("accepts exactly what the RFC 4648 pattern accepts, on 20,000 generated strings, and decodes them", () => {
    const random = prng(4648);
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = "";
      for (let i = Math.floor(random() * 4) * 4 + Math.floor(random() * 1.2); i > 0; i--) {
        text += random() < 0.95 ? alphabet[Math.floor(random() * 64)] : noise[Math.floor(random() * noise.length)];
      }
      if (text.length >= 4 && random() < 0.4) text = text.slice(0, -(1 + Math.floor(random() * 2))).padEnd(text.length, "=");
      const valid = RFC4648.test(text);
      let outcome: Buffer | string;
      try {
        outcome = parseIngestBody(JSON.stringify({ records: [{ dataBase64: text, partitionKey: "k" }] }))[0]!.data;
      } catch (error) {
        outcome = (error as Error).message;
      }
      if (valid) expect(outcome, JSON.stringify(text)).to.deep.equal(Buffer.from(text, "base64"));
      else expect(outcome, JSON.stringify(text)).to.be.a("string").and.include("is not valid base64");
      if (valid) accepted++;
    }
    expect(accepted, "the generator must produce both kinds").to.be.within(2000, 18_000);
  });
});
