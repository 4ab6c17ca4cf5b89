import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateStackConfig } from "../../config";
import { ARCHIVE_KEYS } from "../../config/archive-settings";
import { FANOUT_KEYS } from "../../config/fanout-settings";
import { API } from "../../config/schema/api";
import { CONSUMER } from "../../config/schema/consumers";
import { LIFECYCLE } from "../../config/schema/lifecycle";
import { OBSERVABILITY } from "../../config/schema/observability";
import { STREAM } from "../../config/schema/stream";
import type { TObject } from "@sinclair/typebox";
import { disagreements, readmeRows } from "./readme-schema";

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

// Keeps the README's tables equal to the schema (config/schema/): each key's type, default, range and values.
describe("config: README tables against the schema", () => {
  const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  const sections: [string, TObject][] = [
    ["stream", STREAM],
    ["api", API],
    ["consumers", CONSUMER],
    ["observability", OBSERVABILITY],
    ["lifecycle", LIFECYCLE],
  ];
  for (const [name, schema] of sections) {
    it(`states each \`${name}\` key's type, default and allowed values as declared`, () => {
      const rows = readmeRows(readme, name);
      const found = Object.entries(schema.properties).flatMap(([key, declared]) => {
        if (declared.type === "object" && declared.patternProperties === undefined && key !== "environment") {
          // A nested section has a row of its own and one per key (`autoscaling.minShards`), or names its keys
          // in its own row (`canary`: `scheduleMinutes` (`5`; 1–60, …)).
          return Object.entries((declared as TObject).properties).flatMap(([inner, s]) => {
            const row = rows.get(`${key}.${inner}`);
            if (row !== undefined) return disagreements(`${key}.${inner}`, s, row);
            const stated = `\`${inner}\` (\`${s.default}\`; ${s.minimum}–${s.maximum}`;
            return (rows.get(key)?.[2] ?? "").includes(stated) ? [] : [`${key}: does not state ${stated}`];
          });
        }
        const row = rows.get(key);
        return row === undefined ? [`${key}: no row`] : disagreements(key, declared, row);
      });
      expect(found).to.deep.equal([]);
    });
  }
});
