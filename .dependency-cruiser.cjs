/**
 * Import boundaries (docs/architecture.md "Which part may import which"), checked by `npm run lint`.
 * Each rule names the arrow it forbids and why; a violation fails the test command.
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "A cycle makes load order matter and the parts impossible to read alone.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "semantics-imports-nothing-of-the-repo",
      comment: "semantics/ is the one home of AWS rules every part shares: it depends on nothing else here and never on Pulumi.",
      severity: "error",
      from: { path: "^semantics/" },
      to: { pathNot: "^(semantics/|node_modules/(?!@pulumi/))", dependencyTypesNot: ["core"] },
    },
    {
      name: "cli-kit-imports-nothing-of-the-repo",
      comment: "cli-kit/ holds the command-line conventions every entry point shares; it depends on nothing else here.",
      severity: "error",
      from: { path: "^cli-kit/" },
      to: { pathNot: "^(cli-kit/|node_modules/)", dependencyTypesNot: ["core"] },
    },
    {
      name: "capacity-is-arithmetic",
      comment:
        "capacity/ (the planner behind `kinesis-ingest plan`) is arithmetic over the shared AWS rules and the consumer runtime's own concurrency; it reads no stack file and calls nothing.",
      severity: "error",
      from: { path: "^capacity/" },
      to: { pathNot: "^(capacity/|semantics/|handlers/lib/consumer/consumer\\.ts$|node_modules/)", dependencyTypesNot: ["core"] },
    },
    {
      name: "handlers-stay-lambda-code",
      comment: "Handlers are bundled into Lambda: no Pulumi, no program components, no local stack, no CLI.",
      severity: "error",
      from: { path: "^handlers/" },
      to: { path: "^(components|local|cli|synth|policy|config)/|^index\\.ts$|(^|/)node_modules/@pulumi/" },
    },
    {
      name: "components-stay-infrastructure",
      comment: "The program's components never reach into the local stack, the CLI or the producer client.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(local|cli|client|replay)/" },
    },
    {
      name: "libraries-do-not-import-the-cli",
      comment: "The CLI depends on the libraries, never the other way round.",
      severity: "error",
      from: { path: "^(client|replay|local|config|components|semantics|handlers|capacity)/" },
      to: { path: "^cli/" },
    },
    {
      name: "no-test-code-in-the-product",
      comment: "Nothing shipped imports test helpers.",
      severity: "error",
      from: { pathNot: "^(test|bench)/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^\\.local/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
