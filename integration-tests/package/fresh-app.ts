import { ChildProcess, execFileSync, spawn } from "node:child_process"
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs"
import path from "node:path"
import { REPO_ROOT, stopChild } from "../../demo/shared"
import { waitFor } from "../helpers/wait"
import { npmFree } from "./packages"

/*
 * A Medusa app as a merchant makes one: its own directory, Medusa 2.21.2 from the registry,
 * this plugin from the packed tarball, `medusa-config.ts` from the README's snippet, every
 * command (npm, pnpm, npx, medusa) run by the Node.js whose bin directory it is given. Every
 * command's output goes to one log file; a failed command throws with the log's tail.
 */

export type PackageManager = "npm" | "pnpm"

const MEDUSA_VERSION = "2.21.2"
const PNPM = path.join(REPO_ROOT, "node_modules", "pnpm", "bin", "pnpm.cjs")

/**
 * The README's `medusa-config.ts`, with its two placeholders filled in: the project config
 * (database, CORS; the admin off, not under test here) and the sandbox as the gateway.
 */
export function medusaConfigFromReadme(): string {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8")
  const snippet = /```ts\n(import \{ defineConfig, loadEnv \}[\s\S]*?)```/.exec(readme)?.[1]
  if (!snippet) {
    throw new Error("README.md has no medusa-config.ts snippet starting `import { defineConfig, loadEnv }`")
  }
  return fill(
    fill(snippet, /^(\s*)\/\/ gatewayUrl: .*$/m, "$1gatewayUrl: process.env.PAYSYS_GATEWAY_URL,"),
    /projectConfig: \{ \/\* \.\.\. \*\/ \},/,
    [
      "projectConfig: {",
      "    databaseUrl: process.env.DATABASE_URL,",
      '    http: { storeCors: process.env.STORE_CORS!, adminCors: "", authCors: process.env.STORE_CORS!, jwtSecret: "fresh-app", cookieSecret: "fresh-app" },',
      "  },",
      "  admin: { disable: true },",
    ].join("\n")
  )
}

function fill(text: string, placeholder: RegExp, value: string): string {
  if (!placeholder.test(text)) {
    throw new Error(`the README's medusa-config.ts snippet no longer has ${placeholder}`)
  }
  return text.replace(placeholder, value)
}

export class FreshApp {
  private server: ChildProcess | undefined

  constructor(
    readonly dir: string,
    readonly manager: PackageManager,
    readonly logFile: string,
    private readonly env: NodeJS.ProcessEnv
  ) {}

  /** Writes the app (package.json, tsconfig.json, medusa-config.ts) and installs it. */
  static async create(options: {
    dir: string
    manager: PackageManager
    /** the directory of the `node` that runs the app's commands, npm's and pnpm's included */
    nodeBin: string
    tarball: string
    logFile: string
    env: Record<string, string>
  }) {
    const { dir, manager, tarball, logFile } = options
    mkdirSync(dir, { recursive: true })
    mkdirSync(path.dirname(logFile), { recursive: true })
    writeFileSync(logFile, "")
    writeJson(path.join(dir, "package.json"), {
      name: `paysys-fresh-app-${manager}`,
      private: true,
      dependencies: {
        "@medusajs/admin-sdk": MEDUSA_VERSION,
        "@medusajs/cli": MEDUSA_VERSION,
        "@medusajs/framework": MEDUSA_VERSION,
        "@medusajs/medusa": MEDUSA_VERSION,
        "medusa-payment-paysys": `file:${tarball}`,
      },
      devDependencies: { "@types/node": "^20.0.0", "ts-node": "^10.9.2", typescript: "^5.6.2" },
    })
    writeJson(path.join(dir, "tsconfig.json"), {
      compilerOptions: {
        target: "ES2021",
        module: "Node16",
        moduleResolution: "Node16",
        esModuleInterop: true,
        skipLibCheck: true,
      },
      "ts-node": { transpileOnly: true },
    })
    writeFileSync(path.join(dir, "medusa-config.ts"), medusaConfigFromReadme())

    const env = npmFree()
    const app = new FreshApp(dir, manager, logFile, {
      ...env,
      // npm, npx and medusa start with `#!/usr/bin/env node`: the first node on PATH runs them
      PATH: [options.nodeBin, env.PATH].join(path.delimiter),
      NODE_ENV: "development",
      ...options.env,
    })
    // the log's first command names the node that ran the rest
    await app.run("node", ["--version"], 60_000)
    if (manager === "npm") {
      await app.run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], 10 * 60_000)
    } else {
      // pnpm's default layout: a package sees only what it declares (and pnpm's hidden hoisting)
      await app.run(
        "node",
        [PNPM, "install", "--ignore-scripts", "--prefer-offline", "--reporter=append-only"],
        10 * 60_000
      )
    }
    return app
  }

  /** `process.version` of the node the app's commands run on. */
  nodeVersion(): string {
    return execFileSync("node", ["-p", "process.version"], { cwd: this.dir, env: this.env }).toString().trim()
  }

  /** Where a package sits next to the installed plugin: what the plugin's own `import` finds. */
  besidePlugin(name: string): string {
    const plugin = realpathSync(path.join(this.dir, "node_modules", "medusa-payment-paysys"))
    return path.join(path.dirname(plugin), name)
  }

  /** `npx medusa ...` in the app, as the README says. */
  medusa(args: string[], env: Record<string, string> = {}, timeoutMs = 5 * 60_000) {
    return this.run("npx", ["medusa", ...args], timeoutMs, env)
  }

  /** The tests' store, seeded by the app's own Medusa (`medusa exec`). */
  async seed<T>(): Promise<T> {
    for (const file of ["integration-tests/package/seed-app.ts", "scripts/seed-store.ts"]) {
      mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true })
      copyFileSync(path.join(REPO_ROOT, file), path.join(this.dir, file))
    }
    const result = path.join(this.dir, "seed-result.json")
    await this.medusa(["exec", "./integration-tests/package/seed-app.ts"], { PAYSYS_SEED_RESULT: result })
    return JSON.parse(readFileSync(result, "utf8"))
  }

  /** `medusa start` on `port`; resolves once /health answers, fails if the server exits first. */
  async start(port: number): Promise<string> {
    const url = `http://localhost:${port}`
    const server = this.spawn(path.join(this.dir, "node_modules", ".bin", "medusa"), ["start"], { PORT: String(port) })
    this.server = server
    let exited = false
    server.once("exit", () => (exited = true))
    await waitFor(
      `the fresh ${this.manager} app to answer on ${url}/health (log: ${this.logFile})`,
      async () => {
        if (exited) {
          throw new Error(`medusa start exited with ${server.exitCode}\n${this.logTail()}`)
        }
        return fetch(`${url}/health`).then(
          (response) => response.ok,
          () => false
        )
      },
      5 * 60_000,
      500
    )
    return url
  }

  async stop() {
    if (this.server) {
      const startedAt = Date.now()
      await stopChild(this.server, "SIGTERM", 15_000)
      appendFileSync(this.logFile, `[medusa start stopped in ${((Date.now() - startedAt) / 1000).toFixed(1)} s]\n`)
    }
  }

  logTail(lines = 40): string {
    return readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n")
  }

  private spawn(command: string, args: string[], env: Record<string, string> = {}) {
    appendFileSync(this.logFile, `\n$ ${command} ${args.join(" ")}\n`)
    const child = spawn(command, args, {
      cwd: this.dir,
      env: { ...this.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout.on("data", (chunk: Buffer) => appendFileSync(this.logFile, chunk))
    child.stderr.on("data", (chunk: Buffer) => appendFileSync(this.logFile, chunk))
    return child
  }

  /** Runs a command to its end; throws with the log's tail when it fails or outlives `timeoutMs`. */
  private async run(command: string, args: string[], timeoutMs: number, env: Record<string, string> = {}) {
    const startedAt = Date.now()
    const child = this.spawn(command, args, env)
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject)
      child.once("close", resolve)
    }).finally(() => clearTimeout(timer))
    const took = `${((Date.now() - startedAt) / 1000).toFixed(1)} s`
    appendFileSync(this.logFile, `[${command} ${args.join(" ")}: exit ${code}, ${took}]\n`)
    if (code !== 0) {
      throw new Error(
        `\`${command} ${args.join(" ")}\` in the fresh ${this.manager} app failed (exit ${code}, ${took}); log ${this.logFile}:\n${this.logTail()}`
      )
    }
  }
}

function writeJson(file: string, value: unknown) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
}
