import path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vite"

/**
 * The storefront kit's ESM and CommonJS builds (`npm run build:storefront`, part of `npm run
 * build`): browser code only, React and the Medusa SDK left to the storefront.
 */
const here = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  root: here,
  logLevel: "warn",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: path.resolve(here, "../dist/storefront"),
    emptyOutDir: false,
    target: "es2020",
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: path.resolve(here, "index.ts"), react: path.resolve(here, "react/index.ts") },
      formats: ["es", "cjs"],
      fileName: (format, name) => `${name}.${format === "es" ? "mjs" : "cjs"}`,
    },
    rollupOptions: { external: [/^react(\/.*)?$/, /^@medusajs\//] },
  },
})
