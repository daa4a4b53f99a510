import { ChildProcess } from "node:child_process"
import path from "node:path"

/* What the demo's modules share: where things are, its errors, its admin, child processes. */

export const REPO_ROOT = path.resolve(__dirname, "..")
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, ".demo-data")

/** The admin user the demo creates on its first run (DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD change it). */
export const DEMO_ADMIN = { email: "admin@paysys.demo", password: "paysys-demo" }

/** What demo/seed.ts writes for the demo (as JSON, to the file named by DEMO_SEED_RESULT). */
export type DemoSeedResult = {
  publishableKey: string
  storeSeeded: boolean
  adminCreated: boolean
}

/** A failure the demo explains to the user: `message` says what, `hint` what to do. */
export class DemoError extends Error {
  readonly name = "DemoError"
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message)
  }
}

/** The demo's children get the user's environment minus what would change how they run. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  // jest's ESM flag: Medusa loads its modules with require
  env.NODE_OPTIONS = (env.NODE_OPTIONS ?? "").replace(/--experimental-vm-modules/g, "").trim() || undefined
  // the demo is one server: no Redis, whatever the shell says
  delete env.REDIS_URL
  // test runners' settings
  delete env.TEST_TYPE
  delete env.JEST_WORKER_ID
  return env
}

/** Signals a child we started and waits for it; SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  child.kill(signal)
  const inTime = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])
  if (!inTime) {
    child.kill("SIGKILL")
    await exited
  }
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
