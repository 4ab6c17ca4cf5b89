/**
 * The exact text of one member of a JSON object (or of each element of an array): what `kinesis-ingest send`
 * stores as a line's `data`, and what the local sink lists as a delivery's `data`, byte for byte as written
 * (re-serialising a parsed value rounds big numbers and turns `1.0` into `1`). The string counterpart of
 * `json-spans.ts`, which does the same on the ingest handler's request bytes. Runs only on text
 * `JSON.parse` has accepted, so it need not detect malformed JSON; like `JSON.parse`, the last of duplicate
 * keys wins.
 */

/** The text of `object[key]` when `text` is a JSON object that has that key; undefined otherwise. */
export function memberText(text: string, key: string): string | undefined {
  let pos = skipWhitespace(text, 0);
  if (text[pos] !== "{") return undefined;
  pos = skipWhitespace(text, pos + 1);
  let found: string | undefined;
  while (text[pos] === '"') {
    const keyEnd = stringEnd(text, pos);
    const isKey = JSON.parse(text.slice(pos, keyEnd)) === key;
    const start = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1); // past ':'
    const end = valueEnd(text, start);
    if (isKey) found = text.slice(start, end);
    pos = skipWhitespace(text, end);
    if (text[pos] === ",") pos = skipWhitespace(text, pos + 1);
  }
  return found;
}

/** The text of each element of `text` when it is a JSON array; undefined otherwise. */
export function elementTexts(text: string): string[] | undefined {
  let pos = skipWhitespace(text, 0);
  if (text[pos] !== "[") return undefined;
  pos = skipWhitespace(text, pos + 1);
  const elements: string[] = [];
  while (pos < text.length && text[pos] !== "]") {
    const end = valueEnd(text, pos);
    elements.push(text.slice(pos, end));
    pos = skipWhitespace(text, end);
    if (text[pos] === ",") pos = skipWhitespace(text, pos + 1);
  }
  return elements;
}

/** Position just after the value starting at `pos`. */
function valueEnd(text: string, pos: number): number {
  const first = text[pos];
  if (first === '"') return stringEnd(text, pos);
  if (first !== "{" && first !== "[") {
    while (pos < text.length && !/[,}\]\s]/.test(text.charAt(pos))) pos++;
    return pos;
  }
  let depth = 0;
  for (;;) {
    const c = text[pos];
    if (c === '"') {
      pos = stringEnd(text, pos);
      continue;
    }
    if (c === "{" || c === "[") depth++;
    else if ((c === "}" || c === "]") && --depth === 0) return pos + 1;
    pos++;
  }
}

/** Position just after the string whose opening quote is at `pos`. */
function stringEnd(text: string, pos: number): number {
  for (let i = pos + 1; ; i++) {
    if (text[i] === '"') return i + 1;
    if (text[i] === "\\") i++;
  }
}

function skipWhitespace(text: string, pos: number): number {
  while (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n" || text[pos] === "\r") pos++;
  return pos;
}
