#!/usr/bin/env node
/*
 * The bin directory of a Node build of one major line: the running node's own when it is of that
 * line, else Node's official build from the npm registry (the node-<os>-<cpu> package), installed
 * once into the temp directory, outside node_modules, so that `npm ci` keeps it.
 *
 *   node scripts/node-line.js 22      prints the directory (.ci/run puts it first on PATH)
 *   nodeLineBin(22)                   the same, for the tests that run apps on each line
 */
const { execFile } = require("node:child_process")
const { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const { promisify } = require("node:util")

const CACHE = path.join(os.tmpdir(), "paysys-node-lines")
const BUILD_PACKAGE = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`

/** @param {number | string} major @returns {Promise<string>} */
async function nodeLineBin(major) {
  if (!/^\d+$/.test(String(major))) throw new Error(`a Node major version is a number, not "${major}"`)
  if (process.versions.node.split(".")[0] === String(major)) return path.dirname(process.execPath)
  const dir = path.join(CACHE, String(major))
  const bin = (root) => path.join(root, "node_modules", BUILD_PACKAGE, "bin")
  if (existsSync(path.join(bin(dir), "node"))) return bin(dir)
  // into a directory of its own, then renamed into place: a run cut short leaves no half install
  mkdirSync(CACHE, { recursive: true })
  const staging = mkdtempSync(path.join(CACHE, `${major}-`))
  // npm's own variables (from `npm test`) would point the install at this repository
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)))
  await promisify(execFile)(
    "npm",
    [
      "install",
      "--prefix",
      staging,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      `${BUILD_PACKAGE}@${major}`,
    ],
    { env }
  )
  try {
    renameSync(staging, dir)
  } catch (error) {
    // another run put it there meanwhile
    rmSync(staging, { recursive: true, force: true })
    if (!existsSync(path.join(bin(dir), "node"))) throw error
  }
  return bin(dir)
}

module.exports = { nodeLineBin }

if (require.main === module) {
  nodeLineBin(process.argv[2]).then(
    (bin) => process.stdout.write(bin + "\n"),
    (error) => {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
  )
}
