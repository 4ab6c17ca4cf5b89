/**
 * The filter rule language ("Control which events Lambda sends to your function": filter rule syntax, and
 * "Using event filtering with a Kinesis event source", AWS Lambda developer guide), table-driven.
 */
import { expect } from "chai";
import { compileFilterCriteria } from "../../../semantics/event-filter";

const data = (value: unknown): Buffer => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

describe("local ESM filter (Lambda developer guide: Control which events Lambda sends to your function, filter rule syntax)", () => {
  // [case, pattern on data, record data, passes]
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ["equals: string in the list", { type: ["order"] }, { type: "order" }, true],
    ["equals: string not in the list", { type: ["order"] }, { type: "refund" }, false],
    ["equals: no case folding", { type: ["order"] }, { type: "Order" }, false],
    ["or: any listed value", { type: ["credit", "debit"] }, { type: "debit" }, true],
    ["equals: number", { price: [100] }, { price: 100 }, true],
    ["equals: a number is not its string", { price: [100] }, { price: "100" }, false],
    ["equals: boolean", { paid: [true] }, { paid: true }, true],
    ["equals: boolean false is not true", { paid: [true] }, { paid: false }, false],
    ["null matches a null value", { user: [null] }, { user: null }, true],
    ["null does not match an absent field", { user: [null] }, {}, false],
    ["empty string", { name: [""] }, { name: "" }, true],
    ["and: every field must match", { city: ["Seattle"], state: ["WA"] }, { city: "Seattle", state: "OR" }, false],
    ["and: all fields match, others ignored", { city: ["Seattle"], state: ["WA"] }, { city: "Seattle", state: "WA", t: 4 }, true],
    ["a field the pattern names must be present", { city: ["Seattle"] }, { town: "Seattle" }, false],
    ["prefix", { region: [{ prefix: "us-" }] }, { region: "us-east-1" }, true],
    ["prefix: not at the start", { region: [{ prefix: "us-" }] }, { region: "eu-us-1" }, false],
    ["prefix: numbers never match", { code: [{ prefix: "4" }] }, { code: 404 }, false],
    ["suffix", { file: [{ suffix: ".png" }] }, { file: "a.png" }, true],
    ["suffix: mismatch", { file: [{ suffix: ".png" }] }, { file: "a.jpg" }, false],
    ["equals-ignore-case", { name: [{ "equals-ignore-case": "alice" }] }, { name: "ALICE" }, true],
    ["anything-but a value", { weather: [{ "anything-but": "raining" }] }, { weather: "sunny" }, true],
    ["anything-but: the excluded value", { weather: [{ "anything-but": "raining" }] }, { weather: "raining" }, false],
    ["anything-but a list", { state: [{ "anything-but": ["stopped", "gone"] }] }, { state: "gone" }, false],
    ["anything-but a list: other value", { state: [{ "anything-but": ["stopped", "gone"] }] }, { state: "running" }, true],
    ["anything-but: absent field does not match", { weather: [{ "anything-but": "raining" }] }, {}, false],
    ["anything-but prefix", { id: [{ "anything-but": { prefix: "test-" } }] }, { id: "prod-1" }, true],
    ["anything-but prefix: excluded", { id: [{ "anything-but": { prefix: "test-" } }] }, { id: "test-1" }, false],
    ["numeric =", { price: [{ numeric: ["=", 100] }] }, { price: 100 }, true],
    ["numeric range inside", { t: [{ numeric: [">", 50, "<=", 60] }] }, { t: 60 }, true],
    ["numeric range: lower bound exclusive", { t: [{ numeric: [">", 50, "<=", 60] }] }, { t: 50 }, false],
    ["numeric range: above", { t: [{ numeric: [">", 50, "<=", 60] }] }, { t: 60.5 }, false],
    ["numeric: a numeric string does not match", { t: [{ numeric: [">", 1] }] }, { t: "5" }, false],
    ["numeric >= and <", { t: [{ numeric: [">=", 0, "<", 1] }] }, { t: 0 }, true],
    ["exists true: present", { product: [{ exists: true }] }, { product: "x" }, true],
    ["exists true: absent", { product: [{ exists: true }] }, {}, false],
    ["exists false: absent", { product: [{ exists: false }] }, { other: 1 }, true],
    ["exists false: present", { product: [{ exists: false }] }, { product: null }, false],
    ["exists matches leaf values only", { product: [{ exists: true }] }, { product: { name: "x" } }, false],
    ["nested object path", { order: { customer: { tier: ["gold"] } } }, { order: { customer: { tier: "gold" } } }, true],
    ["nested object path: mismatch", { order: { customer: { tier: ["gold"] } } }, { order: { customer: { tier: "free" } } }, false],
    ["nested path through a missing object", { order: { customer: { tier: ["gold"] } } }, { order: {} }, false],
    ["nested exists false through a missing object", { order: { coupon: [{ exists: false }] } }, {}, true],
    ["array data: any element matches", { tags: ["urgent"] }, { tags: ["low", "urgent"] }, true],
    ["array data: no element matches", { tags: ["urgent"] }, { tags: ["low"] }, false],
    ["mixed rules are OR-ed", { amount: [0, { numeric: [">", 1000] }] }, { amount: 5000 }, true],
    ["data that is not JSON never matches", { type: ["order"] }, "type=order", false],
    ["JSON data that is not an object has no fields", { type: ["order"] }, "42", false],
  ];
  for (const [name, pattern, record, passes] of cases) {
    it(`${name}: ${JSON.stringify(pattern)} on ${JSON.stringify(record)} → ${passes ? "passes" : "dropped"}`, () => {
      const filter = compileFilterCriteria([JSON.stringify({ data: pattern })]);
      expect(filter(data(record))).to.equal(passes);
    });
  }

  // Raw pattern and data text: JSON.stringify would rewrite the numbers these cases are about.
  const exact: Array<[string, string, string, boolean]> = [
    ["a number matches its own text", '{"price":[300]}', '{"price":300}', true],
    ["a number does not match another text of the same value (300.0)", '{"price":[300]}', '{"price":300.0}', false],
    ["a number does not match another text of the same value (3.0e2)", '{"price":[300]}', '{"price":3.0e2}', false],
    ["a pattern's 300.0 matches 300.0 only", '{"price":[300.0]}', '{"price":300}', false],
    ["anything-but compares the text too", '{"price":[{"anything-but":[300]}]}', '{"price":300.0}', true],
    ["numeric ranges compare values", '{"price":[{"numeric":["=",300]}]}', '{"price":3.0e2}', true],
    ["numeric ranges on big numbers", '{"n":[{"numeric":[">",1e20]}]}', '{"n":12345678901234567890123}', true],
    ["arrays of objects are flattened", '{"items":{"sku":["b"]}}', '{"items":[{"sku":"a"},{"sku":"b"}]}', true],
    ["arrays of objects: no element has it", '{"items":{"sku":["b"]}}', '{"items":[{"sku":"a"},{"qty":1}]}', false],
    ["nested arrays are flattened at every level", '{"o":{"items":{"sku":["b"]}}}', '{"o":[{"items":[[{"sku":"b"}]]}]}', true],
    ["exists through an array of objects", '{"items":{"coupon":[{"exists":true}]}}', '{"items":[{"sku":"a"},{"coupon":"X"}]}', true],
  ];
  for (const [name, pattern, record, passes] of exact) {
    it(`Lambda event filtering (numbers by text, arrays flattened): ${name}: ${pattern} on ${record} → ${passes ? "passes" : "dropped"}`, () => {
      expect(compileFilterCriteria([`{"data":${pattern}}`])(Buffer.from(record))).to.equal(passes);
    });
  }

  it("ORs the patterns: a record passes when any one matches", () => {
    const filter = compileFilterCriteria(['{"data":{"type":["order"]}}', '{"data":{"priority":[{"numeric":[">",5]}]}}']);
    expect([{ type: "order" }, { priority: 9 }, { type: "refund", priority: 1 }].map((r) => filter(data(r)))).to.deep.equal([
      true,
      true,
      false,
    ]);
  });

  const invalid: Array<[string, string[], string]> = [
    ["more than 5 patterns", Array(6).fill('{"data":{"a":[1]}}'), "filterPatterns allows at most 5 patterns, got 6"],
    ["not JSON", ["{data"], 'filterPatterns[0] must be a JSON object such as {"data":{"type":["order"]}}, got "{data"'],
    [
      "a key other than data",
      ['{"partitionKey":["a"]}'],
      'filterPatterns[0] must be a JSON object filtering on `data` only (Kinesis filters match data only), got {"partitionKey":["a"]}',
    ],
    [
      "a field that is neither rules nor object",
      ['{"data":{"a":"x"}}'],
      'filterPatterns[0].data.a must be a list of rules or a nested object pattern, got "x"',
    ],
    ["an empty rule list", ['{"data":{"a":[]}}'], "filterPatterns[0].data.a must list at least one rule, got []"],
    [
      "an unknown operator",
      ['{"data":{"a":[{"wildcard":"x*"}]}}'],
      "filterPatterns[0].data.a[0] uses unknown operator `wildcard`; allowed: prefix, suffix, equals-ignore-case, anything-but, numeric, exists",
    ],
    [
      "a numeric rule without a number",
      ['{"data":{"a":[{"numeric":[">","5"]}]}}'],
      'filterPatterns[0].data.a[0].numeric must be a list of 1 or 2 comparisons (< <= = >= >) each followed by a number, such as [">", 10, "<=", 20], got [">","5"]',
    ],
    [
      "exists that is not a boolean",
      ['{"data":{"a":[{"exists":"yes"}]}}'],
      'filterPatterns[0].data.a[0].exists must be true or false, got "yes"',
    ],
    ["prefix that is not a string", ['{"data":{"a":[{"prefix":1}]}}'], "filterPatterns[0].data.a[0].prefix must be a string, got 1"],
  ];
  for (const [name, patterns, message] of invalid) {
    it(`rejects ${name}`, () => {
      expect(() => compileFilterCriteria(patterns)).to.throw(Error, message);
    });
  }
});
