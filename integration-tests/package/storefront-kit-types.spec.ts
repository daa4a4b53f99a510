import { spawn } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { REPO_ROOT } from "../../demo/shared"
import { pack, runTool, STOREFRONT_KIT } from "./packages"

/*
 * The storefront kit as a storefront gets it: its packed tarball installed with npm into a bare
 * TypeScript project beside @medusajs/js-sdk and React from the registry, then a checkout that
 * imports the kit and its React entry type-checked (`tsc --noEmit`) under each module resolution
 * a storefront may use, and both entries loaded by Node with require() and import(). Once with the
 * oldest @medusajs/js-sdk the kit's peer range admits and React 18, once with Medusa's current
 * js-sdk and React 19. Each project's install log goes to test-artifacts/logs/.
 */

jest.setTimeout(10 * 60_000)

const KIT_PACKAGE = JSON.parse(readFileSync(path.join(STOREFRONT_KIT.dir, "package.json"), "utf8"))
const ROOT_PACKAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"))
const LOWEST_SDK = /^\^(\d+\.\d+\.\d+)$/.exec(KIT_PACKAGE.peerDependencies["@medusajs/js-sdk"])?.[1]
const FIXTURES = path.join(__dirname, "fixtures")
const LOGS = path.join(REPO_ROOT, "test-artifacts", "logs")

type Project = { sdk: string; react: string }
const PROJECTS: Project[] = [
  { sdk: LOWEST_SDK ?? "unreadable", react: "18" },
  { sdk: ROOT_PACKAGE.devDependencies["@medusajs/js-sdk"], react: "19" },
]

const COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  esModuleInterop: true,
  // @medusajs/types (the SDK's types) imports server packages a storefront does not install
  skipLibCheck: true,
  types: [],
}
/** The checks, each a tsconfig over the fixture copied to `file`. */
const RESOLUTIONS = [
  {
    name: "node10 (module commonjs)",
    module: "commonjs",
    moduleResolution: "node10",
    fixture: "kit-consumer.ts",
    file: "checkout.ts",
  },
  {
    name: "node16 from a CommonJS file (.cts)",
    module: "node16",
    moduleResolution: "node16",
    fixture: "kit-consumer.ts",
    file: "checkout.cts",
  },
  {
    name: "node16 from an ESM file (.mts)",
    module: "node16",
    moduleResolution: "node16",
    fixture: "kit-consumer-esm.mts",
    file: "checkout.mts",
  },
  {
    name: "bundler (module esnext)",
    module: "esnext",
    moduleResolution: "bundler",
    fixture: "kit-consumer.ts",
    file: "checkout.ts",
  },
]

const workDir = mkdtempSync(path.join(os.tmpdir(), "paysys-kit-types-"))
const projectDir = (project: Project) => path.join(workDir, `js-sdk-${project.sdk}-react-${project.react}`)
const installing = new Map<Project, Promise<void>>()

beforeAll(() => {
  expect({ peerRange: KIT_PACKAGE.peerDependencies["@medusajs/js-sdk"], readable: LOWEST_SDK !== undefined }).toEqual({
    peerRange: expect.any(String),
    readable: true,
  })
  mkdirSync(LOGS, { recursive: true })
  const tarball = pack(STOREFRONT_KIT, workDir)
  for (const project of PROJECTS) {
    const install = installProject(project, tarball)
    install.catch(() => undefined) // reported by the describe that awaits it
    installing.set(project, install)
  }
})

afterAll(async () => {
  await Promise.allSettled(installing.values())
  spawn("rm", ["-rf", workDir], { detached: true, stdio: "ignore" }).unref()
})

describe.each(PROJECTS)("a bare TypeScript project with @medusajs/js-sdk $sdk and React $react", (project) => {
  const dir = projectDir(project)
  /** the project's type checks, started together once it is installed: several cores take them at once */
  const checks = new Map<(typeof RESOLUTIONS)[number], ReturnType<typeof runTool>>()

  beforeAll(async () => {
    await installing.get(project)
    for (const resolution of RESOLUTIONS) {
      checks.set(resolution, typeCheck(dir, resolution))
    }
  })

  afterAll(async () => {
    await Promise.allSettled(checks.values())
  })

  it.each(RESOLUTIONS)(
    "type-checks a checkout importing the kit and its React entry under moduleResolution $name",
    async (resolution) => {
      expect(await checks.get(resolution)).toEqual({ exitCode: 0, output: "" })
    }
  )

  it("loads both entries in Node with require() and with import()", async () => {
    const entries = ["medusa-payment-paysys-storefront", "medusa-payment-paysys-storefront/react"]
    const probe = (load: string) =>
      `Promise.all(${JSON.stringify(entries)}.map(async (entry) => [entry, typeof (${load}).payWithCard, typeof (${load}).CardForm]))` +
      `.then((loaded) => console.log(JSON.stringify(loaded)))`
    const required = await runTool(process.execPath, ["-e", probe("require(entry)")], dir)
    const imported = await runTool(process.execPath, ["--input-type=module", "-e", probe("await import(entry)")], dir)
    const expected = JSON.stringify([
      [entries[0], "function", "undefined"],
      [entries[1], "undefined", "function"],
    ])
    expect({ required, imported }).toEqual({
      required: { exitCode: 0, output: expected },
      imported: { exitCode: 0, output: expected },
    })
  })
})

/** `tsc --noEmit` over the fixture, copied into the project as the resolution's file, with the resolution's tsconfig. */
function typeCheck(dir: string, resolution: (typeof RESOLUTIONS)[number]) {
  copyFileSync(path.join(FIXTURES, resolution.fixture), path.join(dir, resolution.file))
  const tsconfig = `tsconfig.${resolution.moduleResolution}-${path.extname(resolution.file).slice(1)}.json`
  writeJson(path.join(dir, tsconfig), {
    compilerOptions: { ...COMPILER_OPTIONS, module: resolution.module, moduleResolution: resolution.moduleResolution },
    files: [resolution.file],
  })
  return runTool(path.join(dir, "node_modules", ".bin", "tsc"), ["-p", tsconfig], dir)
}

/** package.json with the storefront's dependencies (the kit from its tarball), then `npm install`. */
async function installProject(project: Project, tarball: string) {
  const dir = projectDir(project)
  mkdirSync(dir, { recursive: true })
  writeJson(path.join(dir, "package.json"), {
    name: `paysys-kit-consumer-${project.react}`,
    private: true,
    dependencies: {
      "@medusajs/js-sdk": project.sdk,
      // the SDK's types are written in @medusajs/types, which the SDK does not depend on: a
      // storefront installs it (Medusa's Next.js starter does), else every Medusa type is `any`
      "@medusajs/types": project.sdk,
      "medusa-payment-paysys-storefront": `file:${tarball}`,
      react: `^${project.react}`,
    },
    devDependencies: { "@types/react": `^${project.react}`, typescript: ROOT_PACKAGE.devDependencies.typescript },
  })
  const log = path.join(LOGS, `storefront-kit-types-js-sdk-${project.sdk}-react-${project.react}.log`)
  const result = await runTool("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir)
  writeFileSync(log, `$ npm install (in ${dir})\n${result.output}\n[exit ${result.exitCode}]\n`)
  if (result.exitCode !== 0) {
    throw new Error(
      `npm install of the bare project (js-sdk ${project.sdk}, React ${project.react}) failed; log ${log}:\n${result.output}`
    )
  }
}

function writeJson(file: string, value: unknown) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
}
