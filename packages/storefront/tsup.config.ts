import { defineConfig } from "tsup"

// ESM and CommonJS, each with its own bundled declarations (.d.mts, .d.ts), so that types resolve
// under node10, node16 and bundler resolution. Both entries share one chunk of the core code, so
// an error class is the same class whichever entry threw it. React and the SDK stay the storefront's.
// Tree-shaking hands the CommonJS chunks to rollup, whose source maps name the sources relative to
// dist; tsup's own CommonJS splitting writes the build machine's absolute paths into them.
export default defineConfig({
  entry: { index: "src/index.ts", react: "src/react/index.ts" },
  format: ["esm", "cjs"],
  splitting: true,
  treeshake: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2020",
  tsconfig: "tsconfig.json",
  silent: true,
})
