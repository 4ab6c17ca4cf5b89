/**
 * JSON parsed with every number kept as its text, for event filtering: Lambda matches a number in a filter
 * pattern against the record's number by its text (`300`, `300.0` and `3.0e2` are three different values),
 * while numeric ranges compare values (docs/aws-semantics.md#event-filtering). `JSON.parse` keeps only the
 * value, and Node 20 has no reviver access to the source text.
 */

/** A JSON number: its text as written, and its value. */
export class JsonNumber {
  constructor(readonly text: string) {}

  get value(): number {
    return Number(this.text);
  }

  /** In messages, a number reads as the number it is. */
  toJSON(): number {
    return this.value;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text as `JSON.parse` does (throwing the same errors), but with numbers as {@link JsonNumber}. */
export function parseJsonKeepingNumbers(text: string): unknown {
  JSON.parse(text); // validates: the scanner below may then trust the text
  let pos = 0;
  const skip = () => {
    while (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n" || text[pos] === "\r") pos++;
  };
  const value = (): unknown => {
    skip();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const object: Record<string, unknown> = {};
      skip();
      while (text[pos] !== "}") {
        const key = string();
        skip();
        pos++; // ':'
        // defineProperty: a "__proto__" key is data, as with JSON.parse.
        Object.defineProperty(object, key, { value: value(), enumerable: true, writable: true, configurable: true });
        skip();
        if (text[pos] === ",") pos++;
        skip();
      }
      pos++;
      return object;
    }
    if (c === "[") {
      pos++;
      const array: unknown[] = [];
      skip();
      while (text[pos] !== "]") {
        array.push(value());
        skip();
        if (text[pos] === ",") pos++;
        skip();
      }
      pos++;
      return array;
    }
    if (c === '"') return string();
    for (const [literal, result] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return result;
      }
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text)!;
    pos += match[0].length;
    return new JsonNumber(match[0]);
  };
  const string = (): string => {
    skip();
    const start = pos;
    for (pos++; text[pos] !== '"'; pos++) if (text[pos] === "\\") pos++;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  return value();
}
