import { ChildProcess, spawn } from "node:child_process"
import path from "node:path"
import { stopChild } from "../../demo/shared"
import { freePort } from "../../scripts/postgres"

export type MedusaInstance = { url: string; stop(): Promise<void> }

/** Starts another Medusa server process on the given database (and Redis, via env). */
export async function startMedusaInstance(env: Record<string, string>): Promise<MedusaInstance> {
  const port = await freePort()
  const root = path.resolve(__dirname, "../..")
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve("ts-node/dist/bin"), "--transpile-only", "integration-tests/helpers/medusa-instance-main.ts"],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    }
  )
  let output = ""
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`second Medusa did not start in 5 minutes:\n${output.slice(-3000)}`))
    }, 300_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes(`listening ${port}`)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`second Medusa exited with ${code}:\n${output.slice(-3000)}`))
    })
  })
  return {
    url: `http://localhost:${port}`,
    stop: () => {
      child.removeAllListeners("exit")
      return stopChild(child, "SIGTERM", 15_000)
    },
  }
}
