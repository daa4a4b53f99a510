import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"

/*
 * The browser suites each start the demo stack, whose dashboard Vite serves from this
 * repository (.medusa/client, node_modules/.vite): two at once, from two jest workers, could
 * rebuild each other's dependency cache under a page being loaded. They take turns, through a
 * lock directory that names the process holding it; a lock whose process is gone is taken over.
 */
const REPO_ROOT = path.resolve(__dirname, "../..")
const LOCK = path.join(
  os.tmpdir(),
  `paysys-browser-suite-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12)}.lock`
)
const OWNER = path.join(LOCK, "pid")

function alive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

function tryTake(): boolean {
  try {
    mkdirSync(LOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw error
    }
    let holder = NaN
    try {
      holder = Number(readFileSync(OWNER, "utf8"))
    } catch {
      // being written by its taker, or being removed: looked at again on the next try
      return false
    }
    if (!Number.isNaN(holder) && holder !== process.pid && !alive(holder)) {
      rmSync(LOCK, { recursive: true, force: true })
    }
    return false
  }
  writeFileSync(OWNER, String(process.pid))
  return true
}

async function takeBrowserTurn(timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs
  while (!tryTake()) {
    if (Date.now() > deadline) {
      throw new Error(`another browser suite held ${LOCK} for ${timeoutMs} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  let released = false
  return () => {
    if (!released) {
      released = true
      rmSync(LOCK, { recursive: true, force: true })
    }
  }
}

/**
 * Called first in a browser suite's describe: its hooks wait for this repository's other browser
 * suites (in other jest workers) to be done, and give the turn back when the suite ends.
 */
export function oneBrowserSuiteAtATime() {
  const WAIT_MS = 30 * 60_000
  let release: (() => void) | undefined
  beforeAll(async () => {
    release = await takeBrowserTurn(WAIT_MS)
  }, WAIT_MS + 60_000)
  afterAll(() => release?.())
}
