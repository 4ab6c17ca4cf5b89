// Lint: ESLint's and typescript-eslint's recommended rules. Import boundaries and cycles are checked by
// dependency-cruiser (.dependency-cruiser.cjs), formatting by Prettier: `npm run lint` runs all three.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // not-javascript.js is a fixture that must not parse (the plan's module check refuses it).
  { ignores: ["node_modules/", ".local/", "dist/", "build/", "test/fixtures/consumers/not-javascript.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // Unused names are already errors in tsc (noUnusedLocals/noUnusedParameters); `_`-prefixed ones are meant.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      // A variable a closure reads before its one assignment cannot be const.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // `require` is used on purpose: commands load lazily, and some emulators ship no type declarations.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Rules that need type information: the TypeScript project service reads tsconfig.json.
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits or handles loses its rejection (an unhandled rejection ends Node), and the
      // code after it runs before it settles.
      "@typescript-eslint/no-floating-promises": "error",
      // A switch over a union must name every member (or have a default): a new kind, mode or status then
      // fails the lint where it is not handled, not at run time.
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      // An assertion that changes nothing hides where the type really comes from, and keeps silencing the
      // checker after the type it worked around is fixed.
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
    },
  },
  {
    // The local console's page scripts (local/console/*.js): browser modules served as they are.
    files: ["local/console/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: { document: "readonly", window: "readonly", fetch: "readonly", EventSource: "readonly" },
    },
  },
  {
    // CommonJS entry points and preloads.
    files: ["**/*.cjs", "test/fixtures/**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        exports: "writable",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
      },
    },
  },
);
