import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateStackConfig } from "../../config";
import { ARCHIVE_KEYS } from "../../config/archive-settings";
import { FANOUT_KEYS } from "../../config/fanout-settings";

// Keeps the README's configuration reference true: every validated key has a row.
describe("config: README reference", () => {
  const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  const full = validateStackConfig({ consumers: { forwarder: { handler: "forwarder" } } });
  // A consumer's validated `archive` holds the keys an archiver sets one by one.
  const { archive, ...consumer } = full.consumers.forwarder!;
  const sections: [string, object][] = [
    ["stream", full.stream],
    ["api", full.api],
    ["consumers", { ...consumer, ...Object.fromEntries(ARCHIVE_KEYS.map((key) => [key, archive])) }],
    ["observability", full.observability],
    ["lifecycle", full.lifecycle],
  ];
  for (const [name, values] of sections) {
    it(`documents every \`${name}\` key`, () => {
      const table = readme.split(`### \`kinesis-ingest:${name}\``)[1]?.split("\n### ")[0] ?? "";
      const keys = Object.keys(values).filter((k) => k !== "name");
      expect(keys.filter((k) => !table.includes(`| \`${k}\` |`))).to.deep.equal([]);
    });
  }
  it("documents every fan-out consumer key in the `consumers` table", () => {
    const table = readme.split("### `kinesis-ingest:consumers`")[1]?.split("\n### ")[0] ?? "";
    expect(FANOUT_KEYS.filter((k) => !table.includes(`| \`${k}\` |`))).to.deep.equal([]);
  });
});
