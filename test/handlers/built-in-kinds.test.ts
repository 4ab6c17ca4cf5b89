import { expect } from "chai";
import { existsSync } from "node:fs";
import { PROGRAM_KINDS } from "../../components/consumer-kinds";
import { handlerEntryFile } from "../../config/consumer-code";
import { BUILT_IN_KINDS, isBuiltInKind } from "../../handlers/lib/built-in-kinds";
import { LOCAL_KINDS } from "../../local/consumer-handlers";

describe("built-in consumer kinds: one list every layer is keyed by", () => {
  for (const kind of BUILT_IN_KINDS) {
    it(`${kind} is bundled from handlers/${kind}.ts, which exports a handler function`, async () => {
      const entry = handlerEntryFile(kind);
      expect(entry.endsWith(`handlers/${kind}.ts`), entry).to.equal(true);
      expect(existsSync(entry), entry).to.equal(true);
      const module = (await import(entry)) as { handler?: unknown };
      expect(module.handler).to.be.a("function");
    });
  }

  it("the program and the local stack wire exactly those kinds", () => {
    expect(Object.keys(PROGRAM_KINDS)).to.have.members([...BUILT_IN_KINDS]);
    expect(Object.keys(LOCAL_KINDS)).to.have.members([...BUILT_IN_KINDS]);
  });

  it("a user's module path or an unknown name is no built-in kind", () => {
    expect(isBuiltInKind("./consumers/audit.ts")).to.equal(false);
    expect(isBuiltInKind("Forwarder")).to.equal(false);
    expect(isBuiltInKind(undefined)).to.equal(false);
    expect(isBuiltInKind("sns")).to.equal(true);
  });
});
