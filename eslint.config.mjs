import js from "@eslint/js"
import prettier from "eslint-config-prettier"
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript"
import importX from "eslint-plugin-import-x"
import reactHooks from "eslint-plugin-react-hooks"
import tseslint from "typescript-eslint"

/** `targets` may not import from the folders of src/ named in `above`. */
const layer = (targets, above) => targets.map((target) => ({ target, from: above.map((folder) => `./src/${folder}`) }))

// typescript-eslint's recommended rules, no import cycles, folders in layers, React's hook rules; Prettier owns layout.
export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".medusa/**", "test-artifacts/**", ".demo-data/**", "**/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver()],
    },
    rules: {
      "import-x/no-cycle": "error",
      // `const { omitted, ...rest }` and `_` for a parameter a signature needs
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // the layers, bottom up: PaySys's protocols, the ledger module, the providers, the workflows,
    // then what Medusa calls (jobs, subscribers, routes) and the admin; each imports only below it
    files: ["src/**"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            layer(
              ["./src/paysys", "./src/paysys-form"],
              ["modules", "providers", "workflows", "jobs", "subscribers", "api", "admin"]
            ),
            layer(["./src/modules"], ["providers", "workflows", "jobs", "subscribers", "api", "admin"]),
            layer(["./src/providers"], ["workflows", "jobs", "subscribers", "api", "admin"]),
            layer(["./src/workflows"], ["jobs", "subscribers", "api", "admin"]),
            layer(["./src/jobs", "./src/subscribers"], ["api", "admin"]),
            layer(["./src/api"], ["jobs", "subscribers", "admin"]),
          ].flat(),
        },
      ],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    // tests, benchmarks and the demo read JSON answers and load modules the way jest and Medusa do
    files: ["integration-tests/**", "**/__tests__/**", "bench/**", "demo/**", "scripts/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
  prettier
)
