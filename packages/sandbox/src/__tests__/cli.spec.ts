import { ChildProcess, spawn } from "node:child_process"
import path from "node:path"
import { CliUsageError, NO_CALLBACKS_WARNING, readCliConfig, usage } from "../cli"

/** the sandbox package, whose build holds the bin */
const ROOT = path.resolve(__dirname, "../..")

describe("paysys-sandbox CLI", () => {
  describe("readCliConfig", () => {
    it("reads options from environment variables, flags winning", () => {
      const config = readCliConfig(["--port", "5000", "--notify-url=http://localhost:9000/hooks"], {
        PAYSYS_SANDBOX_PORT: "4999",
        PAYSYS_SANDBOX_SERVICE_ID: "shop-1",
        PAYSYS_SANDBOX_AUTH_TOLERANCE_MS: "1000",
      })
      expect(config.options).toEqual({
        port: 5000,
        notifyUrl: "http://localhost:9000/hooks",
        serviceId: "shop-1",
        authToleranceMs: 1000,
      })
      expect(config.quiet).toBe(false)
    })

    it("names the flag or variable of a bad number", () => {
      expect(() => readCliConfig(["--port", "abc"], {})).toThrow("--port must be a whole number")
      expect(() => readCliConfig([], { PAYSYS_SANDBOX_PORT: "80a" })).toThrow(
        "PAYSYS_SANDBOX_PORT must be a whole number"
      )
    })

    it("refuses an unknown flag", () => {
      expect(() => readCliConfig(["--prot", "1"], {})).toThrow(CliUsageError)
    })

    it("documents every flag with its variable", () => {
      const text = usage()
      for (const name of [
        "--port",
        "PAYSYS_SANDBOX_PORT",
        "--notify-url",
        "PAYSYS_SANDBOX_NOTIFY_URL",
        "--card-notify-url",
        "--three-ds-code",
        "--merchant-api-url",
        "PAYSYS_SANDBOX_FORM_SECRET_KEY",
        "autotest",
      ]) {
        expect(text).toContain(name)
      }
    })
  })

  describe("as a process (the built bin, dist/cli.js)", () => {
    const run = (args: string[], env: Record<string, string> = {}) => {
      const { NODE_OPTIONS: _ignored, ...inherited } = process.env
      return spawn(process.execPath, ["dist/cli.js", ...args], {
        cwd: ROOT,
        env: { ...inherited, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      })
    }

    const collect = (child: ChildProcess) => {
      const output = { stdout: "", stderr: "" }
      child.stdout?.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()))
      child.stderr?.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()))
      return output
    }

    const exited = (child: ChildProcess) =>
      new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))

    it("prints the gateway URL, credentials and test cards, serves, logs calls, and closes cleanly on Ctrl-C", async () => {
      const child = run([], { PAYSYS_SANDBOX_PORT: "0", PAYSYS_SANDBOX_SERVICE_ID: "cli-shop" })
      const output = collect(child)
      const done = exited(child)
      try {
        const deadline = Date.now() + 20_000
        while (!output.stdout.includes("Ctrl-C to stop") && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        expect(output.stdout).toContain("Ctrl-C to stop")
        const gatewayUrl = /POST (http:\/\/127\.0\.0\.1:\d+\/gateway)/.exec(output.stdout)?.[1]
        expect(gatewayUrl).toBeDefined()
        expect(output.stdout).toContain("cli-shop")
        expect(output.stdout).toContain("sandbox-secret")
        expect(output.stdout).toContain("4000000000009995")
        expect(output.stdout).toMatch(/payment form\s+POST http:\/\/127\.0\.0\.1:\d+\/form/)
        expect(output.stdout).toContain("9860000000000002")
        expect(output.stdout).toContain(NO_CALLBACKS_WARNING)

        const answer = await fetch(gatewayUrl as string, {
          method: "POST",
          body: JSON.stringify({ method: "paysys.check_payment", params: { partner_trans_id: "p-1" }, id: 1 }),
        })
        expect((await answer.json()).error.code).toBe(-32501)
        await new Promise((resolve) => setTimeout(resolve, 100))
        expect(output.stdout).toMatch(/paysys\.check_payment partner_trans_id=p-1 -> error -32501/)
      } finally {
        child.kill("SIGINT")
      }
      expect(await done).toBe(0)
      expect(output.stdout).toContain("PaySys sandbox closed.")
    })

    it("exits 2 naming a bad option", async () => {
      const child = run(["--notify-url", "nope", "--port", "0"])
      const output = collect(child)
      expect(await exited(child)).toBe(2)
      expect(output.stderr).toContain("notifyUrl")
      expect(output.stderr).toContain("--notify-url")
    })
  })
})
