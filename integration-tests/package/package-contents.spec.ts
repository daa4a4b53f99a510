import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { REPO_ROOT } from "../../demo/shared"
import { bin, Package, PackedFile, packedFiles, PLUGIN, runTool, SANDBOX, STOREFRONT_KIT } from "./packages"

/*
 * What each published package holds, as `npm pack` would publish it: the file list, publint's
 * strict lint of package.json against those files, and "Are the types wrong?" on the packed
 * tarball (types resolving under node10, node16 from CommonJS and from ESM, and bundlers).
 */

jest.setTimeout(3 * 60_000)

const PACKAGES = [PLUGIN, STOREFRONT_KIT, SANDBOX]
const files = new Map<Package, PackedFile[]>()
const paths = (pkg: Package) => files.get(pkg)!.map((file) => file.path)

beforeAll(() => {
  for (const pkg of PACKAGES) {
    files.set(pkg, packedFiles(pkg))
  }
})

describe("the plugin's tarball (medusa-payment-paysys)", () => {
  it("holds Medusa's build of the plugin with its migrations, admin extensions and declarations", () => {
    expect(paths(PLUGIN)).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "CHANGELOG.md",
        ".medusa/server/src/modules/paysys/index.js",
        ".medusa/server/src/modules/paysys/index.d.ts",
        ".medusa/server/src/providers/paysys/index.js",
        ".medusa/server/src/providers/paysys/index.d.ts",
        ".medusa/server/src/providers/paysys-form/index.js",
        ".medusa/server/src/providers/paysys-form/index.d.ts",
        ".medusa/server/src/admin/index.mjs",
        ".medusa/server/src/admin/index.js",
      ])
    )
    expect(
      paths(PLUGIN).filter((file) => file.startsWith(".medusa/server/src/modules/paysys/migrations/")).length
    ).toBeGreaterThan(0)
  })

  it("holds no sandbox, no storefront kit and no test code", () => {
    const outside = paths(PLUGIN).filter(
      (file) =>
        !/^(\.medusa\/server\/|docs\/|bench\/(README|RESULTS)\.md$|(README|CHANGELOG)\.md$|package\.json$)/.test(file)
    )
    expect(outside).toEqual([])
    expect(paths(PLUGIN).filter((file) => /(^|\/)(__tests__|integration-tests|packages)\//.test(file))).toEqual([])
    // documents may be about the kit or the sandbox; code may not be theirs
    expect(paths(PLUGIN).filter((file) => file.startsWith(".medusa/") && /sandbox|storefront/.test(file))).toEqual([])
    expect(JSON.parse(readFileSync(path.join(PLUGIN.dir, "package.json"), "utf8")).bin).toBeUndefined()
  })
})

describe("the storefront kit's tarball (medusa-payment-paysys-storefront)", () => {
  it("holds dist, README.md, CHANGELOG.md and package.json only", () => {
    expect(
      paths(STOREFRONT_KIT).filter((file) => !/^(dist\/|README\.md$|CHANGELOG\.md$|package\.json$)/.test(file))
    ).toEqual([])
    expect(paths(STOREFRONT_KIT)).toEqual(expect.arrayContaining(["README.md", "CHANGELOG.md", "package.json"]))
  })

  it("has both entries as ESM and CommonJS, each with its declarations", () => {
    const entries = ["index", "react"].flatMap((entry) =>
      [".mjs", ".js", ".d.mts", ".d.ts"].map((extension) => `dist/${entry}${extension}`)
    )
    expect(paths(STOREFRONT_KIT)).toEqual(expect.arrayContaining(entries))
  })
})

describe("the sandbox's tarball (paysys-sandbox)", () => {
  it("holds dist, README.md, CHANGELOG.md and package.json only", () => {
    expect(paths(SANDBOX).filter((file) => !/^(dist\/|README\.md$|CHANGELOG\.md$|package\.json$)/.test(file))).toEqual(
      []
    )
    expect(paths(SANDBOX)).toEqual(
      expect.arrayContaining(["README.md", "CHANGELOG.md", "package.json", "dist/index.js", "dist/index.d.ts"])
    )
  })

  it("has its `paysys-sandbox` bin, executable, starting with a node shebang", () => {
    const binPath = JSON.parse(readFileSync(path.join(SANDBOX.dir, "package.json"), "utf8")).bin[
      "paysys-sandbox"
    ].replace(/^\.\//, "")
    const packed = files.get(SANDBOX)!.find((file) => file.path === binPath)
    expect(packed).toBeDefined()
    expect({ file: binPath, executable: (packed!.mode & 0o111) === 0o111 }).toEqual({ file: binPath, executable: true })
    expect(readFileSync(path.join(SANDBOX.dir, binPath), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node")
  })
})

describe.each(PACKAGES.map((pkg) => [pkg.name, pkg] as const))("%s", (_name, pkg) => {
  it("passes publint --strict", async () => {
    const result = await runTool(bin("publint"), ["run", pkg.dir, "--strict"], REPO_ROOT)
    expect(result).toEqual({ exitCode: 0, output: expect.any(String) })
  })

  it("has types that resolve under node10, node16 (from CommonJS and from ESM) and bundlers (attw --pack)", async () => {
    const result = await runTool(bin("attw"), ["--pack", pkg.dir, "--no-color", ...ATTW_OPTIONS[pkg.name]], REPO_ROOT)
    expect(result).toEqual({ exitCode: 0, output: expect.stringContaining("No problems found") })
  })

  it("has every relative link of its README pointing at a file in its tarball", () => {
    const readme = path.join(pkg.dir, "README.md")
    expect({ readme, exists: existsSync(readme) }).toEqual({ readme, exists: true })
    expect(paths(pkg)).toContain("README.md")
    const links = [...readFileSync(readme, "utf8").matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1])
    for (const link of links.filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"))) {
      const target = path.posix.normalize(link.replace(/#.*$/, ""))
      const shipped = paths(pkg).some((file) => file === target || file.startsWith(`${target}/`))
      expect({ link, shipped }).toEqual({ link, shipped: true })
    }
  })

  it("names no directory of the machine it was built on", () => {
    const naming = paths(pkg).filter(
      (file) => !/\.(png|jpe?g)$/.test(file) && readFileSync(path.join(pkg.dir, file), "utf8").includes(REPO_ROOT)
    )
    expect(naming).toEqual([])
  })
})

const ATTW_OPTIONS: Record<string, string[]> = {
  [STOREFRONT_KIT.name]: [],
  [SANDBOX.name]: [],
  [PLUGIN.name]: [
    // attw does not expand wildcard exports: the entries a merchant names, one by one. "./admin"
    // is not among them: Medusa's admin bundler loads it, no TypeScript imports it.
    "--entrypoints",
    "./providers/paysys",
    "./providers/paysys-form",
    "./modules/paysys",
    "./.medusa/server/src/modules/paysys",
    // Medusa's loaders require() a module's and a provider's index and take its `default`; their
    // CommonJS build (exports.default beside __esModule) is Medusa's contract, not ours to change
    "--ignore-rules",
    "cjs-only-exports-default",
  ],
}
