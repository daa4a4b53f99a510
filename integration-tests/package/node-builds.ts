import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { promisify } from "node:util"
import { npmFree } from "./packages"

/*
 * Node.js builds to run a merchant's app on: the machine's own node for its major version, else
 * Node's official build from the npm registry (the node-<platform>-<arch> package), installed
 * once into a cache under the system's temporary directory that later runs reuse.
 */

const CACHE = path.join(os.tmpdir(), "paysys-node-builds")
const BUILD_PACKAGE = `node-${process.platform}-${process.arch}`

/** The directory holding `node` of major version `major`: put it first on a child's PATH. */
export async function nodeBinDir(major: number): Promise<string> {
  if (Number(process.versions.node.split(".")[0]) === major) {
    return path.dirname(process.execPath)
  }
  const dir = path.join(CACHE, String(major))
  const bin = (root: string) => path.join(root, "node_modules", BUILD_PACKAGE, "bin")
  if (!existsSync(path.join(bin(dir), "node"))) {
    // into a directory of its own, then renamed into place: a run cut short leaves no half install
    mkdirSync(CACHE, { recursive: true })
    const staging = mkdtempSync(path.join(CACHE, `${major}-`))
    await promisify(execFile)(
      "npm",
      ["install", "--prefix", staging, "--no-save", "--no-audit", "--no-fund", "--no-package-lock", `${BUILD_PACKAGE}@${major}`],
      { env: npmFree() }
    )
    try {
      renameSync(staging, dir)
    } catch (error) {
      // another run put it there meanwhile
      rmSync(staging, { recursive: true, force: true })
      if (!existsSync(path.join(bin(dir), "node"))) {
        throw error
      }
    }
  }
  return bin(dir)
}
