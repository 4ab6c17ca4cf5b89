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
