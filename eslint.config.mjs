// Lint: ESLint's and typescript-eslint's recommended rules. Import boundaries and cycles are checked by
// dependency-cruiser (.dependency-cruiser.cjs), formatting by Prettier: `npm run lint` runs all three.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".local/", "dist/", "build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // Unused names are already errors in tsc (noUnusedLocals/noUnusedParameters); `_`-prefixed ones are meant.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // CommonJS entry points and preloads.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
