#!/usr/bin/env node
/*
 * node scripts/node-line.js <major>: prints the bin directory of a Node build of that LTS line,
 * installed once from the npm registry (Node's builds are published there as node-<os>-<cpu>)
 * into the temp directory, outside node_modules, so that `npm ci` keeps it.
 */
const { execFileSync } = require("node:child_process")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")

function nodeLineBin(major) {
  if (!/^\d+$/.test(String(major))) throw new Error(`a Node major version is a number, not "${major}"`)
  const platform = process.platform === "win32" ? "win" : process.platform
  const name = `node-${platform}-${process.arch}`
  const prefix = path.join(os.tmpdir(), "paysys-node-lines", String(major))
  const bin = path.join(prefix, "node_modules", name, "bin")
  if (!fs.existsSync(path.join(bin, "node"))) {
    execFileSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", "--no-package-lock", `${name}@${major}`], {
      stdio: ["ignore", "ignore", "inherit"],
    })
  }
  return bin
}

module.exports = { nodeLineBin }

if (require.main === module) process.stdout.write(nodeLineBin(process.argv[2]) + "\n")
