import path from "node:path"
import { DEFAULT_DATA_DIR, DemoError, DemoStack, startDemoStack } from "./stack"

/*
 * `npm run demo`: starts the demo stack (stack.ts), shows what it is doing and for how long,
 * prints the URLs and the admin login, and stops everything on Ctrl-C.
 *
 * Environment: DEMO_MEDUSA_PORT (9000), DEMO_STOREFRONT_PORT (8000), DEMO_SANDBOX_PORT (4010),
 * DEMO_DATA_DIR (.demo-data), DATABASE_URL (your own PostgreSQL instead of the embedded one).
 */

const startedAt = Date.now()
const tty = Boolean(process.stdout.isTTY)
const color = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text)
const bold = color(1)
const dim = color(2)
const green = color(32)
const red = color(31)

// A TTY shows the running step with a clock; elsewhere each step start is one line.
let running: { title: string; since: number; timer: NodeJS.Timeout } | null = null

function endTicker() {
  if (running) {
    clearInterval(running.timer)
    process.stdout.write("\r\x1b[2K")
    running = null
  }
}

function log(line: string) {
  endTicker()
  if (line.startsWith("▸ ")) {
    const title = line.slice(2)
    if (!tty) {
      console.log(`▸ ${title}…`)
      return
    }
    const since = Date.now()
    const draw = () =>
      process.stdout.write(`\r\x1b[2K${dim("▸")} ${title}… ${dim(`${Math.round((Date.now() - since) / 1000)}s`)}`)
    running = { title, since, timer: setInterval(draw, 1000) }
    draw()
    return
  }
  if (line.startsWith("✓ ")) {
    console.log(`${green("✓")} ${line.slice(2)}`)
    return
  }
  console.log(line)
}

const controller = new AbortController()
let stack: DemoStack | null = null
let stopping = false

async function shutdown(signal: string) {
  if (stopping) {
    console.log(dim(`(${signal} again: leaving now; the demo's processes stop themselves)`))
    process.exit(130)
  }
  stopping = true
  endTicker()
  console.log(`\nStopping the demo…`)
  if (!stack) {
    controller.abort() // startDemoStack stops what it started and rejects
    return
  }
  const since = Date.now()
  await stack.stop()
  console.log(`${green("✓")} Stopped everything the demo started (${((Date.now() - since) / 1000).toFixed(1)}s)`)
  console.log(dim(`The data stays in ${dataDirLabel()} for the next run (delete it to start afresh).`))
  process.exit(0)
}

process.on("SIGINT", () => void shutdown("Ctrl-C"))
process.on("SIGTERM", () => void shutdown("SIGTERM"))

/** The data directory, relative to here when it is inside. */
function dataDirLabel() {
  const dir = path.resolve(process.env.DEMO_DATA_DIR || DEFAULT_DATA_DIR)
  const relative = path.relative(process.cwd(), dir)
  return relative && !relative.startsWith("..") ? relative : dir
}

async function main() {
  console.log(bold("PaySys for Medusa: the demo"))
  console.log(dim("PostgreSQL, the PaySys sandbox, Medusa with the plugin and the admin, and a storefront.\n"))
  try {
    stack = await startDemoStack({
      dataDir: process.env.DEMO_DATA_DIR || undefined,
      log,
      signal: controller.signal,
    })
  } catch (error) {
    endTicker()
    if (controller.signal.aborted) {
      console.log(`${green("✓")} Stopped before the demo was up.`)
      process.exit(130)
    }
    if (error instanceof DemoError) {
      console.error(`\n${red("✗")} ${error.message}`)
      if (error.hint) {
        console.error(`  ${error.hint}`)
      }
    } else {
      console.error(`\n${red("✗")} The demo could not start:`, error)
    }
    process.exit(1)
  }
  if (stopping) {
    return
  }

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1)
  const row = (label: string, value: string, note = "") =>
    console.log(`  ${label.padEnd(16)}${note ? `${bold(value.padEnd(28))} ${dim(note)}` : bold(value)}`)
  console.log(`\n${green("The demo is running")} ${dim(`(started in ${seconds}s)`)}\n`)
  row("Storefront", stack.storefrontUrl, "card: 4111 1111 1111 1111, any future expiry, 3-D Secure code 123456")
  row("", "", "PaySys's page: UzCard 8600 0000 0000 0001, any future expiry, SMS code 123456")
  row("Admin", stack.adminUrl, `log in as ${stack.admin.email} / ${stack.admin.password}`)
  row("Medusa API", stack.medusaUrl, `publishable key ${stack.publishableKey}`)
  row("PaySys sandbox", stack.sandboxUrl, "test cards and the control API (/__sandbox)")
  row("Medusa's log", path.join(dataDirLabel(), "medusa.log"))
  console.log(`\n${dim("Ctrl-C stops everything. PaySys calls show below as they happen.")}\n`)
}

void main()
