/**
 * Reconciliation: what `paysys-reconcile-payments` (src/jobs/reconcile-paysys-payments.ts) costs,
 * run through its default export inside the Medusa server (bench/medusa-server.ts, `reconcile`).
 *
 * Waiting sessions are made cheaply and for real: the attempt exists at the sandbox (charged
 * with paysys.pay_by_id on a saved card that declines, so PaySys answers status -1: a payment
 * that failed and whose callback was lost), and its payment session is inserted in SQL exactly
 * as the provider leaves it (status pending, data with submitted_at and partner_trans_id). The
 * job settles each one with check_payment and marks it failed: one PaySys call and one session
 * update per session. Abandoned sessions (a card never posted: requires_more) are SQL only.
 *
 *   1. the job with `small` waiting sessions and nothing else
 *   2. `waiting` sessions waiting: runs until none is left (how many runs, how long)
 *   3. the same `small` waiting sessions again, now beside the settled ones and as many
 *      abandoned ones: the cost follows the waiting sessions only
 *   4. head of line: 250 sessions still on the 3-D Secure page (pending at PaySys), older than
 *      one real checkout paid at PaySys whose callback was lost: does the job reach it?
 *   5. 250 sessions left on the 3-D Secure page longer than abandonAfterSeconds (1 h): checked
 *      once, then no longer waiting
 * Synthetic sessions were "submitted" 10 minutes ago (2 hours in case 5).
 */
import { randomBytes } from "node:crypto"
import { CARDS } from "../integration-tests/helpers/checkout"
import { PaysysClient, PaysysError } from "../src/paysys"
import type { Section } from "./round-trips"
import { log, ms, orderCount, passThreeDsOk, pool, sandboxCalls, Stack, startCardCheckout, table } from "./stack"

type JobResult = { notifications: number; payments: number; failed: number; ms: number }

const AMOUNT = "145000" // 120,000 UZS bowl + 25,000 UZS shipping, as the store's checkouts
const MINOR = "14500000"

export async function measureReconciliation(stack: Stack, counts: { waiting: number; small: number; allotSeconds: number }): Promise<Section> {
  const startedAt = Date.now()
  const problems: string[] = []
  const client = new PaysysClient({ gatewayUrl: stack.sandbox.gatewayUrl, serviceId: "sandbox-service", secretKey: "sandbox-secret", timeoutMs: 10_000 })
  const tag = randomBytes(3).toString("hex")
  let serial = 0

  const waitingNow = async () =>
    Number(
      (
        await stack.db.raw(
          `select count(*)::int as count from payment_session where provider_id = 'pp_paysys_paysys' and status = 'pending' and deleted_at is null and data->>'submitted_at' is not null`
        )
      ).rows[0].count
    )
  const before = await waitingNow()
  if (before) {
    problems.push(`${before} PaySys session(s) were already waiting before this measurement; they are in every run below`)
  }

  // a saved card that declines, at the sandbox only (its partner.notify dropped)
  await stack.control.post("/callbacks", { mode: "drop" })
  const registered = await client.registerCard({ card_number: CARDS.declined, card_expire: "30/12", card_cvc: "737", card_holder: "AZIZ KARIMOV", account: `bench-${tag}` })
  await passThreeDsOk(registered.confirm_url)
  const token = (await stack.control.get(`/cards/${registered.card_id}`)).data.card.token as string

  /** Sessions waiting in Medusa whose attempt failed at PaySys (status -1), callback lost. */
  async function makeWaiting(n: number, atPaysys: "declined" | "prepared", submittedAgoMs = 600_000): Promise<string[]> {
    const ids = Array.from({ length: n }, () => `payses_bench${tag}${String(++serial).padStart(6, "0")}`)
    await pool(ids, 16, async (id) => {
      const common = { partner_trans_id: `${id}-1`, amount: MINOR, currency: "uzs", client_ip_addr: "127.0.0.1", vendor_id: "100381" }
      if (atPaysys === "declined") {
        // PaySys records the attempt as failed (-1) and answers the refusal
        await client.payById({ ...common, card_id: registered.card_id, description: "Order payment" }, token).catch((error) => {
          if (!(error instanceof PaysysError)) {
            throw error
          }
        })
      } else {
        await client.preparePayment({
          ...common,
          card_holder_name: "AZIZ KARIMOV",
          card_number: CARDS.visa,
          card_expire: "3012",
          card_cvc: "737",
          description: "Order payment",
          redirect_url: "http://localhost:8000/checkout/paysys-return",
        })
      }
    })
    await insertSessions(ids, "pending", submittedAgoMs)
    return ids
  }

  async function insertSessions(ids: string[], status: "pending" | "requires_more", submittedAgoMs = 600_000) {
    const now = Date.now()
    const raw = { value: AMOUNT, precision: 20 }
    for (let start = 0; start < ids.length; start += 1000) {
      const slice = ids.slice(start, start + 1000)
      // older than the job's cutoff, in the order they were made
      const at = (i: number) => new Date(now - submittedAgoMs + start + i)
      await stack.db.batchInsert(
        "payment_collection",
        slice.map((id, i) => ({ id: id.replace("payses_", "pay_col_"), currency_code: "uzs", amount: AMOUNT, raw_amount: raw, status: "not_paid", created_at: at(i), updated_at: at(i) })),
        1000
      )
      await stack.db.batchInsert(
        "payment_session",
        slice.map((id, i) => ({
          id,
          currency_code: "uzs",
          amount: AMOUNT,
          raw_amount: raw,
          provider_id: "pp_paysys_paysys",
          status,
          context: {},
          payment_collection_id: id.replace("payses_", "pay_col_"),
          data: {
            session_id: id,
            partner_trans_id: `${id}-1`,
            attempt: 1,
            amount: MINOR,
            currency: "uzs",
            client_ip: "127.0.0.1",
            refunds: [],
            ...(status === "pending" ? { submitted_at: at(i).toISOString(), paysys_status: 0, card_masked: "411111******1111" } : {}),
          },
          created_at: at(i),
          updated_at: at(i),
        })),
        1000
      )
    }
  }

  /** One run of the job; the check_payment calls it made, counted at the sandbox. */
  async function runJob() {
    await stack.control.post("/calls/reset")
    const result = await stack.medusa.command<JobResult>({ cmd: "reconcile", afterSeconds: 1 })
    const { counts: calls } = await sandboxCalls(stack.control)
    return { ...result, checks: calls["paysys.check_payment"] ?? 0, otherCalls: Object.entries(calls).filter(([m]) => m !== "paysys.check_payment").reduce((a, [, n]) => a + n, 0) }
  }

  const rows: (string | number)[][] = []
  const header = ["case", "sessions in the database (PaySys)", "waiting", "job runs", "check_payment calls", "job time", "per waiting session", "settled"]
  const sessionsInDb = async () => Number((await stack.db.raw(`select count(*)::int as count from payment_session where provider_id = 'pp_paysys_paysys'`)).rows[0].count)

  // warm-up (not reported): the job's first run in a fresh process is slow (code loading, JIT)
  await makeWaiting(counts.small, "declined")
  await runJob()

  // 1. small alone
  const small1 = await makeWaiting(counts.small, "declined")
  const run1 = await runJob()
  rows.push([`${counts.small} waiting, nothing else`, await sessionsInDb(), counts.small + before, 1, run1.checks, ms(run1.ms, 0), ms(run1.ms / counts.small), `${run1.payments}`])
  if (run1.checks !== counts.small + before) {
    problems.push(`case 1: ${run1.checks} check_payment calls for ${counts.small + before} waiting sessions`)
  }

  // 2. many waiting: runs until none is left
  const madeAt = Date.now()
  await makeWaiting(counts.waiting, "declined")
  log(`  ${counts.waiting} waiting sessions made (pay_by_id at the sandbox, rows in SQL) in ${((Date.now() - madeAt) / 1000).toFixed(0)} s`)
  const runs: Awaited<ReturnType<typeof runJob>>[] = []
  const dbSize2 = await sessionsInDb()
  // what cases 3 and 4 need after this one, about 20 s
  const drainBox = counts.allotSeconds - (Date.now() - startedAt) / 1000 - 20
  let timeBoxed = false
  for (let i = 0; i < Math.ceil(counts.waiting / 200) + 10; i++) {
    if ((Date.now() - madeAt) / 1000 > drainBox) {
      timeBoxed = true
      break
    }
    const run = await runJob()
    runs.push(run)
    if (run.payments === 0) {
      break
    }
    if (runs.length % 10 === 0) {
      log(`  run ${runs.length}: ${runs.reduce((a, r) => a + r.payments, 0)} settled so far`)
    }
  }
  const working = runs.filter((r) => r.payments > 0)
  const totalMs = working.reduce((a, r) => a + r.ms, 0)
  const totalChecks = working.reduce((a, r) => a + r.checks, 0)
  const left = await waitingNow()
  rows.push([
    `${counts.waiting} waiting`,
    dbSize2,
    counts.waiting,
    working.length,
    totalChecks,
    `${(totalMs / 1000).toFixed(1)} s (median run ${ms(median(working.map((r) => r.ms)), 0)})`,
    ms(totalMs / counts.waiting),
    `${counts.waiting - left} (${left} left)`,
  ])
  if (timeBoxed) {
    problems.push(
      `time-boxed: case 2 stopped after ${runs.length} runs (${counts.waiting - left} of ${counts.waiting} settled); at the median run's pace the rest needs ${Math.ceil(left / 200)} more runs`
    )
  } else if (left) {
    problems.push(`case 2: ${left} session(s) still waiting after ${runs.length} runs`)
  }

  if (left) {
    // leave nothing waiting for case 3 and the drills
    await stack.db.raw(`update payment_session set status = 'error' where provider_id = 'pp_paysys_paysys' and status = 'pending' and id like ?`, [`payses_bench${tag}%`])
  }

  // 3. the same small load beside everything settled, plus as many abandoned sessions
  await insertSessions(Array.from({ length: counts.waiting }, () => `payses_bench${tag}${String(++serial).padStart(6, "0")}`), "requires_more")
  await makeWaiting(counts.small, "declined")
  const run3 = await runJob()
  const empty = await runJob()
  rows.push([
    `${counts.small} waiting beside ${counts.waiting} settled + ${counts.waiting} abandoned`,
    await sessionsInDb(),
    counts.small,
    1,
    run3.checks,
    ms(run3.ms, 0),
    ms(run3.ms / counts.small),
    `${run3.payments}`,
  ])
  rows.push([`nothing waiting, same database`, await sessionsInDb(), 0, 1, empty.checks, ms(empty.ms, 0), "", "0"])
  if (run3.checks !== counts.small) {
    problems.push(`case 3: ${run3.checks} check_payment calls for ${counts.small} waiting sessions`)
  }
  const { rows: plan } = await stack.db.raw(
    `explain analyze select id, data from payment_session where provider_id in ('pp_paysys_paysys') and status = 'pending' and updated_at < now() - interval '1 second' and deleted_at is null order by id asc limit 200`
  )
  const scan = (plan as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]).find((l) => /Scan/.test(l)) ?? ""
  const execution = (plan as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]).find((l) => /Execution Time/.test(l)) ?? ""

  // 4. head of line: sessions that stay waiting, ahead of a paid one
  const blockers = await makeWaiting(250, "prepared")
  await stack.control.post("/callbacks", { mode: "drop", kind: "status" })
  const paid = await startCardCheckout(stack)
  await passThreeDsOk(paid.confirmUrl!)
  await stack.control.post("/callbacks", { mode: "normal" })
  await new Promise((resolve) => setTimeout(resolve, 1500)) // past the 1 s cutoff
  const blockedRuns: Awaited<ReturnType<typeof runJob>>[] = []
  const reachedPaid: boolean[] = []
  for (let i = 0; i < 3; i++) {
    await stack.control.post("/calls/reset")
    const result = await stack.medusa.command<JobResult>({ cmd: "reconcile", afterSeconds: 1 })
    const { calls } = await sandboxCalls(stack.control)
    reachedPaid.push(calls.some((c) => c.partner_trans_id === `${paid.sessionId}-1`))
    blockedRuns.push({ ...result, checks: calls.filter((c) => c.method === "paysys.check_payment").length, otherCalls: 0 })
    if (await orderCount(stack.db, paid.cartId)) {
      break
    }
  }
  const ordersBlocked = await orderCount(stack.db, paid.cartId)
  rows.push([
    "head of line: 250 still on the 3-D Secure page (older) + 1 paid, callback lost",
    await sessionsInDb(),
    251,
    blockedRuns.length,
    blockedRuns.map((r) => r.checks).join(" + "),
    blockedRuns.map((r) => ms(r.ms, 0)).join(", "),
    "",
    `paid session checked: ${reachedPaid.map((r) => (r ? "yes" : "no")).join("/")}; order: ${ordersBlocked ? "placed" : "NONE"}`,
  ])
  if (!ordersBlocked) {
    problems.push(
      `**lost payment (src/jobs/reconcile-paysys-payments.ts)**: a checkout paid at PaySys whose callback was lost got no order after ${blockedRuns.length} job runs, ` +
        `with 250 older sessions still waiting on the 3-D Secure page: the job never asked PaySys about it (${reachedPaid.map((r) => (r ? "checked" : "not checked")).join(", ")}).`
    )
  }
  // the benchmark's synthetic sessions go away, so that the drills' job runs do not check them
  await stack.db.raw(`update payment_session set deleted_at = now() where id = any(?)`, [blockers])
  if (!ordersBlocked) {
    await runJob()
    const ordersAfter = await orderCount(stack.db, paid.cartId)
    rows.push(["same, the 250 removed", await sessionsInDb(), 1, 1, 1, "", "", `order: ${ordersAfter ? "placed" : "NONE"}`])
  }

  // 5. left on the 3-D Secure page for longer than abandonAfterSeconds
  const abandoned = await makeWaiting(250, "prepared", 2 * 3_600_000)
  const first = await runJob()
  const second = await runJob()
  const { rows: statuses } = await stack.db.raw(
    `select status, count(*)::int as count from payment_session where id = any(?) group by status order by status`,
    [abandoned]
  )
  rows.push([
    "250 left on the 3-D Secure page for 2 h (abandonAfterSeconds 1 h), run twice",
    await sessionsInDb(),
    250,
    2,
    `${first.checks} + ${second.checks}`,
    `${ms(first.ms, 0)}, ${ms(second.ms, 0)}`,
    "",
    (statuses as { status: string; count: number }[]).map((r) => `${r.status} ${r.count}`).join(", "),
  ])
  if (second.checks) {
    problems.push(`case 5: sessions abandoned for 2 h were checked again on the next run (${second.checks} calls)`)
  }
  await stack.db.raw(`update payment_session set deleted_at = now() where id = any(?)`, [abandoned])
  await stack.control.post("/callbacks", { mode: "normal" })

  const markdown = [
    table(header, rows),
    "",
    `Waiting sessions: attempts that failed at PaySys (declined; made with pay_by_id at the sandbox) whose callback was lost, inserted in SQL as the provider leaves them; settling one = 1 check_payment + marking the session failed. ` +
      `Each "job run" is one call of the job's default export (the scheduled job runs it once a minute), with reconcileAfterSeconds = 1.`,
    "",
    `**${counts.waiting} waiting sessions take ${working.length === 1 ? "one job run" : `${working.length} job runs`}, ${(totalMs / 1000).toFixed(0)} s of work**` +
      (working.length > 1
        ? `, but ${working.length} minutes of wall time with the every-minute schedule, since a run stops after a page. `
        : `: one run pages through every waiting session${totalMs > 60_000 ? " (longer than the job's one-minute schedule)" : ""}. `) +
      `${costSentence(run1.ms / counts.small, totalMs / counts.waiting, run3.ms / counts.small, counts)} The job's query (one page) has no index on status/updated_at to use: ${scan.trim()}; ${execution.trim()} with ${await sessionsInDb()} PaySys sessions — ` +
      `a scan of every session, cheap here, that grows with the table.`,
  ].join("\n")
  return {
    title: "Reconciliation: settling waiting sessions",
    markdown,
    problems,
    summary: { run1, runs: working.length, totalMs, totalChecks, run3, empty, blocked: { reachedPaid, ordersBlocked }, abandoned: { first: first.checks, second: second.checks } },
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

/** What the per-session costs say: the same (within half) in the three cases, or not. */
function costSentence(alone: number, many: number, beside: number, counts: { waiting: number; small: number }) {
  const close = (a: number, b: number) => Math.max(a, b) / Math.min(a, b) < 1.5
  const numbers = `${alone.toFixed(1)} / ${many.toFixed(1)} / ${beside.toFixed(1)} ms per waiting session (cases 1 / 2 / 3)`
  return close(alone, many) && close(alone, beside)
    ? `The cost follows the waiting sessions only: ${numbers}, whether ${counts.small} or ${counts.waiting} wait, and with ${counts.waiting * 2} settled and abandoned sessions beside them.`
    : `The cost per waiting session differed between the cases: ${numbers} (a noisy machine, or the scan below).`
}
