/**
 * The npm registry this project's machines reach serves only some platforms' builds of
 * packages like @swc/core, rollup and msgpackr-extract. npm then leaves the other platforms'
 * optional packages out of package-lock.json, and `npm ci` refuses the lockfile ("Missing:
 * @swc/core-darwin-arm64@ from lock file"). This adds those entries with their os/cpu/libc,
 * so npm ci accepts the lockfile and skips them on this platform, as it would anywhere.
 * Run it after `npm install` changes dependencies: `npx ts-node --transpile-only scripts/complete-lockfile.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"

type LockEntry = {
  version?: string
  dev?: boolean
  optionalDependencies?: Record<string, string>
  [key: string]: unknown
}

const OSES = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "openharmony", "sunos", "aix"]
const CPUS = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "loong64", "riscv64", "mips64el"]

/** os, cpu and libc from a platform package's name: "@rollup/rollup-linux-arm64-musl". */
export function platformOf(name: string): Record<string, string[]> | null {
  const parts = name.split("/").pop()!.split("-")
  const osIndex = parts.findIndex((part) => OSES.includes(part))
  const cpu = parts[osIndex + 1]
  if (osIndex < 0 || !CPUS.includes(cpu)) {
    return null
  }
  const os = parts[osIndex]
  const abi = parts[osIndex + 2]
  const platform: Record<string, string[]> = { cpu: [cpu], os: [os] }
  if (os === "linux" && abi) {
    platform.libc = [abi.startsWith("musl") ? "musl" : "glibc"]
  }
  return platform
}

function main() {
  const file = path.resolve(__dirname, "../package-lock.json")
  const lock = JSON.parse(readFileSync(file, "utf8")) as { packages: Record<string, LockEntry> }
  const added: string[] = []
  for (const [key, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${key ? `${key}/` : ""}node_modules/${name}`
      const platform = platformOf(name)
      if (lock.packages[`node_modules/${name}`] || lock.packages[nested] || !platform) {
        continue
      }
      lock.packages[`node_modules/${name}`] = {
        version,
        ...(entry.dev ? { dev: true } : {}),
        optional: true,
        ...platform,
      }
      added.push(`${name}@${version}`)
    }
  }
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
  console.log(added.length ? `added ${added.length} platform entries:\n  ${added.join("\n  ")}` : "nothing to add")
}

main()
