import { defineConfig } from "tsup"

// One CommonJS bundle per entry. The PaySys protocol files it shares with the plugin (signatures,
// schemas, card rules) are bundled in, so the sandbox installs without the plugin or Medusa.
export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts" },
  format: ["cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  target: "node20",
  platform: "node",
  tsconfig: "tsconfig.json",
  silent: true,
})
