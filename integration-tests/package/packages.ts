import { execFile, execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import path from "node:path"
import { childEnv, REPO_ROOT } from "../../demo/shared"

/*
 * The three packages this repository publishes, and `npm pack` of each: the file list a
 * tarball would hold, or the tarball itself.
 */

export type Package = {
  name: string
  dir: string
  /** what `npm run build` leaves behind; packing without it would test an empty package */
  built: string
}

export const PLUGIN: Package = { name: "medusa-payment-paysys", dir: REPO_ROOT, built: ".medusa/server/src" }
export const STOREFRONT_KIT: Package = {
  name: "medusa-payment-paysys-storefront",
  dir: path.join(REPO_ROOT, "packages", "storefront"),
  built: "dist",
}
export const SANDBOX: Package = {
  name: "paysys-sandbox",
  dir: path.join(REPO_ROOT, "packages", "sandbox"),
  built: "dist",
}

export type PackedFile = { path: string; mode: number }

/** `npm pack --dry-run --json`: the files the tarball would hold, with their modes. */
export function packedFiles(pkg: Package): PackedFile[] {
  assertBuilt(pkg)
  const [packed] = JSON.parse(npm(["pack", "--dry-run", "--json"], pkg.dir))
  return packed.files.map((file: PackedFile) => ({ path: file.path, mode: file.mode }))
}

/** `npm pack` into `destination`; the tarball's path. */
export function pack(pkg: Package, destination: string): string {
  assertBuilt(pkg)
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", destination], pkg.dir))
  return path.join(destination, packed.filename)
}

/** A command's exit code and its whole output, for an assertion that shows the output when it fails. */
export function runTool(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = npmFree()) {
  return new Promise<{ exitCode: number; output: string }>((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : 1) : 0
      resolve({ exitCode, output: `${stdout}${stderr}`.trim() })
    })
  })
}

/** A tool installed in the repository's node_modules/.bin. */
export function bin(name: string): string {
  return path.join(REPO_ROOT, "node_modules", ".bin", name)
}

/** npm passes its own settings to scripts as npm_config_*: commands here get the user's, not ours. */
export function npmFree(env: NodeJS.ProcessEnv = childEnv()): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)))
}

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, env: npmFree(), maxBuffer: 64 * 1024 * 1024 }).toString()
}

function assertBuilt(pkg: Package) {
  if (!existsSync(path.join(pkg.dir, pkg.built))) {
    throw new Error(`${pkg.name} is not built (no ${pkg.built}): run \`npm run build\` first (npm test does)`)
  }
}
