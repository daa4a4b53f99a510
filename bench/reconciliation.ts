/**
 * Reconciliation: what `paysys-reconcile-payments` (src/jobs/reconcile-paysys-payments.ts) costs,
 * run through its default export inside the Medusa server (bench/medusa-server.ts, `reconcile`).
 * The job walks the ledger: `paysys_attempt` rows whose next_check_at is due, through the partial
 * index IDX_paysys_attempt_due, settling each with src/workflows/settlement/settle-paysys-payment.ts.
 *
 * Due attempts are made cheaply and for real. Each exists at the sandbox: a saved-card charge
 * (paysys.pay_by_id) on a card that declines, so PaySys holds it at status -1, or a card payment
 * prepared and never confirmed (prepare_payment: status 0, the shopper still on the 3-D Secure
 * page). Its ledger row, payment session and payment collection are inserted in SQL as the
 * provider and the card route leave them: a charge whose answer was lost is `sending` (sent_at
 * set) beside a `pending` session; a prepared one is `open`. Settling a declined one costs one
 * check_payment, the ledger's reads and update, and marking its session failed. Final rows
 * (failed, reversed, captured: next_check_at null) are SQL only; the job must never read them.
 *
 *   1. `small` due attempts and nothing else
 *   2. `due` due attempts beside `final` final ones: runs until none is due (runs, wall time,
 *      calls), with the plan of the job's due query, before and after
 *   3. the same `small` again, beside everything: the cost follows what is due only; then an
 *      empty run
 *   4. head of line: 250 attempts still open at PaySys, due before one real checkout paid with its
 *      callback lost: the job must reach the paid one in its first run
 *   5. backoff: 250 attempts left on the 3-D Secure page for 2 h (past abandonAfterSeconds): the
 *      first run checks each once, the next run (at once) asks PaySys nothing
 *   6. where the time goes: the job on `profile` due attempts with every PaySys call, ledger
 *      query and Payment Module call timed, and at concurrencies 1, 4 (the default) and 16
 */
import { randomBytes } from "node:crypto"
import { CARDS } from "../integration-tests/helpers/checkout"
import { DUE_TIERS, PaymentLedger } from "../src/modules/paysys/payment-ledger"
import { PaysysClient, PaysysError } from "../src/paysys"
import type { Parts } from "./medusa-server"
import type { Section } from "./round-trips"
import {
  log,
  ms,
  orderCount,
  passThreeDsOk,
  pool,
  postgresCpuMs,
  sandboxCalls,
  Stack,
  startCardCheckout,
  table,
} from "./stack"

type JobResult = {
  notifications: number
  attempts: number
  failed: number
  skipped: boolean
  ms: number
  cpuMs: number
}
/** CPU time of the run: the Medusa server's, PostgreSQL's (embedded only) and this process's (the sandbox) */
type Run = JobResult & { checks: number; otherCalls: number; postgresCpuMs: number | null; sandboxCpuMs: number }

const AMOUNT = "145000" // 120,000 UZS bowl + 25,000 UZS shipping, as the store's checkouts
const MINOR = "14500000"
const PROVIDER = "pp_paysys_paysys"
/** what the job walks in one run: its page size (src/jobs/reconcile-paysys-payments.ts) */
const PAGE = 200
/** the issue's target for 10,000 due attempts */
const TARGET_SECONDS = 20

export async function measureReconciliation(
  stack: Stack,
  counts: { due: number; final: number; small: number; profile: number; sweep: number; allotSeconds: number }
): Promise<Section> {
  const startedAt = Date.now()
  const problems: string[] = []
  const client = new PaysysClient({
    gatewayUrl: stack.sandbox.gatewayUrl,
    serviceId: "sandbox-service",
    secretKey: "sandbox-secret",
    timeoutMs: 10_000,
  })
  const ledger = new PaymentLedger(stack.db)
  const tag = randomBytes(3).toString("hex")
  const mine = `payses_bench${tag}%`
  let serial = 0

  const count = async (sql: string, bindings: string[] = []) =>
    Number((await stack.db.raw(sql, bindings)).rows[0].count)
  const dueNow = () =>
    count(`select count(*)::int as count from paysys_attempt where deleted_at is null and next_check_at <= now()`)
  const ledgerSize = () => count(`select count(*)::int as count from paysys_attempt where deleted_at is null`)
  // attempts of the measurements before this one (paid through a cart completion: the job is
  // what attaches them to their Medusa payment) are settled first, out of the numbers below
  const earlier = await dueNow()
  const clearing = earlier ? await stack.medusa.command<JobResult>({ cmd: "reconcile" }) : null
  const before = await dueNow()
  if (before) {
    problems.push(`${before} attempt(s) were already due before this measurement; they are in every run below`)
  }

  // a saved card that declines, at the sandbox only (its partner.notify dropped)
  await stack.control.post("/callbacks", { mode: "drop" })
  const registered = await client.registerCard({
    card_number: CARDS.declined,
    card_expire: "30/12",
    card_cvc: "737",
    card_holder: "AZIZ KARIMOV",
    account: `bench-${tag}`,
  })
  await passThreeDsOk(registered.confirm_url)
  const token = (await stack.control.get(`/cards/${registered.card_id}`)).data.card.token as string

  /**
   * `n` due attempts that exist at PaySys: declined saved-card charges whose answer was lost
   * (`sending`), or card payments prepared and never confirmed (`open`), made `agoMs` ago.
   */
  async function makeDue(n: number, atPaysys: "declined" | "prepared", agoMs = 600_000): Promise<string[]> {
    const ids = Array.from({ length: n }, () => `payses_bench${tag}${String(++serial).padStart(6, "0")}`)
    const transactions = new Map<string, string>()
    await pool(ids, 16, async (id) => {
      const common = {
        partner_trans_id: `${id}-1`,
        amount: MINOR,
        currency: "uzs",
        client_ip_addr: "127.0.0.1",
        vendor_id: "100381",
      }
      if (atPaysys === "declined") {
        // PaySys records the attempt as failed (-1) and answers the refusal, which we lose
        await client
          .payById({ ...common, card_id: registered.card_id, description: "Order payment" }, token)
          .catch((error) => {
            if (!(error instanceof PaysysError)) {
              throw error
            }
          })
      } else {
        const prepared = await client.preparePayment({
          ...common,
          card_holder_name: "AZIZ KARIMOV",
          card_number: CARDS.visa,
          card_expire: "3012",
          card_cvc: "737",
          description: "Order payment",
          redirect_url: "http://localhost:8000/checkout/paysys-return",
        })
        transactions.set(id, prepared.transaction_id)
      }
    })
    const now = Date.now()
    const raw = { value: AMOUNT, precision: 20 }
    for (let start = 0; start < ids.length; start += 1000) {
      const slice = ids.slice(start, start + 1000)
      // in the order they were made, the first check due a minute after each
      const at = (i: number) => new Date(now - agoMs + start + i)
      const collection = (id: string) => id.replace("payses_", "pay_col_")
      await stack.db.batchInsert(
        "payment_collection",
        slice.map((id, i) => ({
          id: collection(id),
          currency_code: "uzs",
          amount: AMOUNT,
          raw_amount: raw,
          status: "not_paid",
          created_at: at(i),
          updated_at: at(i),
        })),
        1000
      )
      await stack.db.batchInsert(
        "payment_session",
        slice.map((id, i) => ({
          id,
          currency_code: "uzs",
          amount: AMOUNT,
          raw_amount: raw,
          provider_id: PROVIDER,
          status: "pending",
          context: {},
          payment_collection_id: collection(id),
          data: {
            session_id: id,
            partner_trans_id: `${id}-1`,
            attempt: 1,
            amount: MINOR,
            currency: "uzs",
            client_ip: "127.0.0.1",
            refunds: [],
            submitted_at: at(i).toISOString(),
            ...(atPaysys === "prepared"
              ? {
                  paysys_status: 0,
                  transaction_id: transactions.get(id),
                  card_masked: "411111******1111",
                  confirm_url: "http://localhost/3ds",
                }
              : { saved_card_id: "pscard_bench" }),
          },
          created_at: at(i),
          updated_at: at(i),
        })),
        1000
      )
      await stack.db.batchInsert(
        "paysys_attempt",
        slice.map((id, i) => ({
          id: `psatt_bench${id.slice(12)}`,
          partner_trans_id: `${id}-1`,
          provider_id: PROVIDER,
          kind: atPaysys === "declined" ? "saved_card" : "card",
          session_id: id,
          payment_collection_id: collection(id),
          cart_id: null,
          amount: MINOR,
          currency: "uzs",
          saved_card_id: atPaysys === "declined" ? "pscard_bench" : null,
          state: atPaysys === "declined" ? "sending" : "open",
          paysys_status: atPaysys === "declined" ? null : 0,
          transaction_id: transactions.get(id) ?? null,
          sent_at: at(i),
          next_check_at: new Date(at(i).getTime() + 60_000),
          checks: 0,
          history: JSON.stringify([
            { at: at(i).toISOString(), event: atPaysys === "declined" ? "pay_by_id to be sent" : "card submitted" },
          ]),
          created_at: at(i),
          updated_at: at(i),
        })),
        1000
      )
    }
    return ids
  }

  /**
   * `n` attempts that ended long ago (failed, reversed, captured: nothing left to do), in SQL;
   * each captured one (a third) with the Medusa payment it is the record of, and its collection,
   * as a store that sold that much has them.
   */
  async function insertFinal(n: number) {
    for (let start = 0; start < n; start += 20_000) {
      await stack.db.raw(
        `insert into paysys_attempt (id, partner_trans_id, provider_id, kind, session_id, payment_collection_id, amount, currency, state,
           paysys_status, payment_id, outcome, sent_at, paid_at, next_check_at, checks, history, created_at, updated_at)
         select 'psatt_final' || :tag || g, 'payses_final' || :tag || g || '-1', :provider, 'card', 'payses_final' || :tag || g, 'pay_col_final' || :tag || g,
           :amount, 'uzs', (array['failed', 'reversed', 'captured'])[g % 3 + 1],
           (array[-1, 3, 2])[g % 3 + 1], case when g % 3 = 2 then 'pay_final' || :tag || g end, (array['declined', 'second_payment', 'captured'])[g % 3 + 1],
           t, case when g % 3 > 0 then t end, null, 1, '[]'::jsonb, t, t
         from generate_series(:from::int, :to::int) g, lateral (select now() - interval '30 days' + g * interval '20 seconds' as t) made`,
        { tag, provider: PROVIDER, amount: MINOR, from: start + 1, to: Math.min(n, start + 20_000) }
      )
    }
    try {
      await stack.db.raw(
        `insert into payment_collection (id, currency_code, amount, raw_amount, status, created_at, updated_at)
         select 'pay_col_final' || :tag || g, 'uzs', :major, :raw::jsonb, 'completed', now(), now() from generate_series(1, :n::int) g where g % 3 = 2`,
        { tag, major: AMOUNT, raw: JSON.stringify({ value: AMOUNT, precision: 20 }), n }
      )
      await stack.db.raw(
        `insert into payment (id, amount, raw_amount, currency_code, provider_id, data, payment_collection_id, payment_session_id, captured_at, created_at, updated_at)
         select 'pay_final' || :tag || g, :major, :raw::jsonb, 'uzs', :provider,
           jsonb_build_object('session_id', 'payses_final' || :tag || g, 'partner_trans_id', 'payses_final' || :tag || g || '-1', 'attempt', 1, 'amount', cast(:amount as text), 'currency', 'uzs'),
           'pay_col_final' || :tag || g, 'payses_final' || :tag || g, now(), now(), now()
         from generate_series(1, :n::int) g where g % 3 = 2`,
        {
          tag,
          major: AMOUNT,
          raw: JSON.stringify({ value: AMOUNT, precision: 20 }),
          provider: PROVIDER,
          amount: MINOR,
          n,
        }
      )
    } catch (error) {
      problems.push(
        `the Medusa payments of the final attempts could not be inserted (${(error as Error).message.slice(-200)}): the payment table stays small`
      )
    }
  }

  /**
   * The ledger's look for a Medusa payment holding an attempt (CollectionClaims.medusaPaymentsUsing,
   * run for every attempt a check leaves open or paid), explained; its SQL written out here.
   */
  async function explainPaymentLookup(partnerTransId: string): Promise<string[]> {
    // the ledger has the attempt's row, collection included, when it looks its payments up
    const {
      rows: [attempt],
    } = await stack.db.raw(`select payment_collection_id from paysys_attempt where partner_trans_id = ?`, [
      partnerTransId,
    ])
    const { rows } = await stack.db.raw(
      `explain (analyze, buffers) select "id", "payment_session_id" from "payment" where "deleted_at" is null ` +
        `and "payment_collection_id" = ? and data->>'partner_trans_id' = ?`,
      [attempt.payment_collection_id, partnerTransId]
    )
    return (rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"])
  }

  /** One run of the job; the PaySys calls it made, counted at the sandbox. */
  async function runJob(concurrency?: number): Promise<Run> {
    await stack.control.post("/calls/reset")
    const postgres = postgresCpuMs()
    const sandbox = process.cpuUsage()
    const result = await stack.medusa.command<JobResult>({ cmd: "reconcile", concurrency })
    const sandboxUsed = process.cpuUsage(sandbox)
    const postgresAfter = postgresCpuMs()
    const { counts: calls } = await sandboxCalls(stack.control)
    const checks = calls["paysys.check_payment"] ?? 0
    return {
      ...result,
      checks,
      otherCalls: Object.values(calls).reduce((a, n) => a + n, 0) - checks,
      postgresCpuMs: postgres === null || postgresAfter === null ? null : postgresAfter - postgres,
      sandboxCpuMs: (sandboxUsed.user + sandboxUsed.system) / 1000,
    }
  }

  /** The job's due query (PaymentLedger.listDueAttempts, one page), tier by tier, explained as it runs. */
  async function explainDueQuery(): Promise<string[][]> {
    const plans: string[][] = []
    for (const tier of DUE_TIERS) {
      const { sql, bindings } = ledger.dueInTier(tier, new Date(), PAGE).toSQL()
      const { rows } = await stack.db.raw(`explain (analyze, buffers) ${sql}`, bindings as never)
      plans.push([`-- ${tier}`, ...(rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"])])
    }
    return plans
  }

  const rows: (string | number)[][] = []
  const header = [
    "case",
    "attempts in the ledger",
    "due",
    "job runs",
    "check_payment calls",
    "other PaySys calls",
    "job time",
    "per due attempt",
    "after the run",
  ]
  const statesOf = async (ids: string[]) => {
    const { rows: states } = await stack.db.raw(
      `select state, count(*)::int as count, count(*) filter (where next_check_at <= now())::int as due from paysys_attempt where session_id = any(?) group by state order by state`,
      [ids]
    )
    const { rows: sessions } = await stack.db.raw(
      `select status, count(*)::int as count from payment_session where id = any(?) group by status order by status`,
      [ids]
    )
    return (
      (states as { state: string; count: number; due: number }[])
        .map((r) => `${r.state} ${r.count}${r.due ? ` (${r.due} still due)` : ""}`)
        .join(", ") +
      `; sessions ${(sessions as { status: string; count: number }[]).map((r) => `${r.status} ${r.count}`).join(", ")}`
    )
  }

  // warm-up (not reported): the job's first run in a fresh process is slow (code loading, JIT)
  await makeDue(counts.small, "declined")
  await runJob()

  // 1. small alone
  const small1 = await makeDue(counts.small, "declined")
  const run1 = await runJob()
  rows.push([
    `${counts.small} due, nothing else`,
    await ledgerSize(),
    counts.small + before,
    1,
    run1.checks,
    run1.otherCalls,
    ms(run1.ms, 0),
    ms(run1.ms / counts.small),
    await statesOf(small1),
  ])
  if (run1.checks !== counts.small + before || run1.attempts !== counts.small + before) {
    problems.push(
      `case 1: ${run1.attempts} attempts settled and ${run1.checks} check_payment calls for ${counts.small + before} due`
    )
  }

  // 2. many due beside many more final ones: runs until none is due
  let madeAt = Date.now()
  await insertFinal(counts.final)
  log(`  ${counts.final} final attempts inserted (SQL) in ${((Date.now() - madeAt) / 1000).toFixed(0)} s`)
  madeAt = Date.now()
  const many = await makeDue(counts.due, "declined")
  log(
    `  ${counts.due} due attempts made (pay_by_id at the sandbox, rows in SQL) in ${((Date.now() - madeAt) / 1000).toFixed(0)} s`
  )
  // what autovacuum does after a bulk load: the planner's statistics of the table as it is now
  await stack.db.raw(`analyze paysys_attempt`)
  const planDue = await explainDueQuery()
  const ledger2 = await ledgerSize()
  const runs: Run[] = []
  // what cases 3 to 6 need after this one, about 60 s
  const drainBox = counts.allotSeconds - (Date.now() - startedAt) / 1000 - 60
  let timeBoxed = false
  const drainStartedAt = Date.now()
  for (let i = 0; i < 20; i++) {
    if ((Date.now() - startedAt) / 1000 > drainBox) {
      timeBoxed = true
      break
    }
    const run = await runJob()
    runs.push(run)
    if (run.attempts === 0 || (await dueNow()) === 0) {
      break
    }
  }
  const drainSeconds = (Date.now() - drainStartedAt) / 1000
  const working = runs.filter((r) => r.attempts > 0)
  const cpu = {
    medusa: working.reduce((a, r) => a + r.cpuMs, 0),
    postgres: working.every((r) => r.postgresCpuMs !== null) ? working.reduce((a, r) => a + r.postgresCpuMs!, 0) : null,
    sandbox: working.reduce((a, r) => a + r.sandboxCpuMs, 0),
  }
  const cpuTotal = cpu.medusa + (cpu.postgres ?? 0) + cpu.sandbox
  const jobMs = working.reduce((a, r) => a + r.ms, 0)
  const totalChecks = working.reduce((a, r) => a + r.checks, 0)
  const settled = working.reduce((a, r) => a + r.attempts, 0)
  const left = await dueNow()
  const planAfter = await explainDueQuery()
  // the ledger's writes address an attempt by partner_trans_id among the live ones
  // (PaymentLedger.byPartnerTransId), which its partial unique index serves; explained inside a
  // transaction that is rolled back
  const planUpdate = await (async () => {
    const trx = await stack.db.transaction()
    try {
      const { rows } = await trx.raw(
        `explain (analyze, buffers) update "paysys_attempt" set "updated_at" = now() where "partner_trans_id" = ? and "deleted_at" is null`,
        [`${many[0]}-1`]
      )
      return (rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"])
    } finally {
      await trx.rollback()
    }
  })()
  if (planUpdate.some((line) => /Seq Scan on paysys_attempt/.test(line))) {
    const time = planUpdate.find((line) => line.startsWith("Execution Time")) ?? ""
    problems.push(
      `**every ledger write reads the whole ledger (src/modules/paysys/payment-ledger.ts)**: the update of one attempt by partner_trans_id ` +
        `is a sequential scan of ${ledger2} attempts (${time.trim()}; plan under Reconciliation)`
    )
  }
  rows.push([
    `${counts.due} due beside ${counts.final} final`,
    ledger2,
    counts.due,
    working.length,
    totalChecks,
    working.reduce((a, r) => a + r.otherCalls, 0),
    `${(jobMs / 1000).toFixed(1)} s (wall ${drainSeconds.toFixed(1)} s)`,
    ms(jobMs / counts.due),
    `${await statesOf(many)}; ${left} due left`,
  ])
  if (timeBoxed) {
    problems.push(`time-boxed: case 2 stopped after ${runs.length} runs (${settled} of ${counts.due} settled)`)
  } else if (left) {
    problems.push(`case 2: ${left} attempt(s) still due after ${runs.length} runs`)
  }
  if (totalChecks !== counts.due) {
    problems.push(`case 2: ${totalChecks} check_payment calls for ${counts.due} due attempts`)
  }
  const target = (TARGET_SECONDS * counts.due) / 10_000
  if (jobMs / 1000 > target) {
    problems.push(
      `**target missed**: ${counts.due} due attempts took ${(jobMs / 1000).toFixed(1)} s of job time; the issue's target is ${TARGET_SECONDS} s for 10,000` +
        `${counts.due === 10_000 ? "" : ` (${target.toFixed(1)} s for ${counts.due})`}. See "where the time goes" below.`
    )
  }
  const indexUsed = (plans: string[][]) =>
    plans.every((plan) => plan.some((line) => line.includes("IDX_paysys_attempt_due")))
  if (!indexUsed(planDue) || !indexUsed(planAfter)) {
    problems.push(`a tier of the job's due query did not use its IDX_paysys_attempt_due index (plans below)`)
  }

  // 3. the same small load beside everything
  const small3 = await makeDue(counts.small, "declined")
  const run3 = await runJob()
  const empty = await runJob()
  rows.push([
    `${counts.small} due beside ${counts.final} final + ${counts.due + 2 * counts.small} settled above`,
    await ledgerSize(),
    counts.small,
    1,
    run3.checks,
    run3.otherCalls,
    ms(run3.ms, 0),
    ms(run3.ms / counts.small),
    await statesOf(small3),
  ])
  rows.push([
    `nothing due, same ledger`,
    await ledgerSize(),
    0,
    1,
    empty.checks,
    empty.otherCalls,
    ms(empty.ms, 0),
    "",
    "",
  ])
  if (run3.checks !== counts.small) {
    problems.push(`case 3: ${run3.checks} check_payment calls for ${counts.small} due attempts`)
  }

  // 4. head of line: attempts that stay open at PaySys, due before a paid one
  const blockers = await makeDue(250, "prepared")
  await stack.control.post("/callbacks", { mode: "drop", kind: "status" })
  const paid = await startCardCheckout(stack)
  await passThreeDsOk(paid.confirmUrl!)
  // every callback lost again: a decline's notification would settle the next cases' attempts
  await stack.control.post("/callbacks", { mode: "drop" })
  await new Promise((resolve) => setTimeout(resolve, 1500)) // its first check is due 1 s after the card post
  const blockedRuns: (JobResult & { checks: number })[] = []
  const reachedPaid: boolean[] = []
  for (let i = 0; i < 3; i++) {
    await stack.control.post("/calls/reset")
    const result = await stack.medusa.command<JobResult>({ cmd: "reconcile" })
    const { calls } = await sandboxCalls(stack.control)
    reachedPaid.push(calls.some((c) => c.partner_trans_id === `${paid.sessionId}-1`))
    blockedRuns.push({ ...result, checks: calls.filter((c) => c.method === "paysys.check_payment").length })
    if (await orderCount(stack.db, paid.cartId)) {
      break
    }
  }
  const ordersBlocked = await orderCount(stack.db, paid.cartId)
  rows.push([
    "head of line: 250 open at PaySys (due first) + 1 paid, callback lost",
    await ledgerSize(),
    251,
    blockedRuns.length,
    blockedRuns.map((r) => r.checks).join(" + "),
    "",
    blockedRuns.map((r) => ms(r.ms, 0)).join(", "),
    "",
    `paid attempt checked: ${reachedPaid.map((r) => (r ? "yes" : "no")).join("/")}; order: ${ordersBlocked ? "placed" : "NONE"}; the 250: ${await statesOf(blockers)}`,
  ])
  if (!ordersBlocked || !reachedPaid[0]) {
    problems.push(
      `**head of line (src/jobs/reconcile-paysys-payments.ts)**: a checkout paid at PaySys whose callback was lost ${ordersBlocked ? "got its order only after" : "got no order after"} ${blockedRuns.length} job run(s), ` +
        `with 250 attempts still open at PaySys due before it (${reachedPaid.map((r) => (r ? "checked" : "not checked")).join(", ")}).`
    )
  }

  // they come due again in a minute (their backoff): out of the way of the next cases and the drills
  await stack.db.raw(`update paysys_attempt set deleted_at = now() where session_id = any(?)`, [blockers])

  // 5. backoff: left on the 3-D Secure page longer than abandonAfterSeconds
  const abandoned = await makeDue(250, "prepared", 2 * 3_600_000)
  const first = await runJob()
  const second = await runJob()
  const { rows: next } = await stack.db.raw(
    `select min(extract(epoch from next_check_at - now()))::int as min, max(extract(epoch from next_check_at - now()))::int as max from paysys_attempt where session_id = any(?)`,
    [abandoned]
  )
  rows.push([
    "backoff: 250 open at PaySys for 2 h (abandonAfterSeconds 1 h), run twice at once",
    await ledgerSize(),
    250,
    2,
    `${first.checks} + ${second.checks}`,
    "",
    `${ms(first.ms, 0)}, ${ms(second.ms, 0)}`,
    "",
    `${await statesOf(abandoned)}; next check in ${next[0].min}–${next[0].max} s`,
  ])
  if (first.checks !== 250 || second.checks) {
    problems.push(`case 5: ${first.checks} then ${second.checks} check_payment calls (expected 250, then 0)`)
  }

  // due again after their backoff: out of the way of the profile and the drills
  await stack.db.raw(`update paysys_attempt set deleted_at = now() where session_id = any(?)`, [abandoned])
  const payments = await count(`select count(*)::int as count from payment where deleted_at is null`)
  const planLookup = await explainPaymentLookup(`${abandoned[0]}-1`)
  if (planLookup.some((line) => /Seq Scan on payment\b/.test(line))) {
    const time = planLookup.find((line) => line.startsWith("Execution Time")) ?? ""
    problems.push(
      `**a scan of Medusa's payments per open or paid attempt checked (src/modules/paysys/collection-claims.ts, medusaPaymentsUsing)**: ` +
        `each lookup reads every one of the ${payments} payments (${time.trim()}); it grows with what the store ever sold (plan under Reconciliation)`
    )
  }

  // 6. where the time goes
  const profile = await whereTheTimeGoes()

  // the synthetic attempts go away, so that the drills' job runs do not check them again
  await stack.db.raw(`update paysys_attempt set deleted_at = now() where session_id like ? or session_id like ?`, [
    mine,
    `payses_final${tag}%`,
  ])
  await stack.db.raw(`update payment_session set deleted_at = now() where id like ?`, [mine])
  await stack.control.post("/callbacks", { mode: "normal" })

  async function whereTheTimeGoes() {
    const startedProfile = Date.now()
    const profiledIds = await makeDue(counts.profile, "declined")
    const result = await stack.medusa.command<JobResult & { parts: Parts }>({
      cmd: "reconcile-profiled",
      concurrency: 1,
    })
    const profiledStates = await statesOf(profiledIds)
    // PaySys alone: the same number of bare check_payment calls, from this process, 4 at a time
    const bareIds = await makeDue(counts.sweep, "declined")
    const bareStartedAt = Date.now()
    await pool(bareIds, 4, (id) => client.checkPayment({ partner_trans_id: `${id}-1` }))
    const bareMs = Date.now() - bareStartedAt
    await stack.db.raw(`update paysys_attempt set deleted_at = now() where session_id = any(?)`, [bareIds])
    const sweep: { concurrency: number; run: Run }[] = []
    for (const concurrency of [4, 8, 16, 32]) {
      await makeDue(counts.sweep, "declined")
      sweep.push({ concurrency, run: await runJob(concurrency) })
    }
    log(`  profile: ${((Date.now() - startedProfile) / 1000).toFixed(0)} s`)
    return { result, profiledStates, bareMs, sweep }
  }

  const perAttempt = (value: number) => value / Math.max(1, profile.result.attempts)
  const parts = Object.entries(profile.result.parts).sort(([, a], [, b]) => b.ms - a.ms)
  const accounted = parts.reduce((a, [, p]) => a + p.ms, 0)
  const accountedCpu = parts.reduce((a, [, p]) => a + p.cpuMs, 0)
  const share = (value: number) => `${((100 * value) / profile.result.ms).toFixed(0)}%`
  const profileRows: (string | number)[][] = [
    ...parts.map(([name, p]) => [
      name,
      (p.calls / profile.result.attempts).toFixed(2),
      ms(perAttempt(p.ms)),
      share(p.ms),
      ms(perAttempt(p.cpuMs)),
    ]),
    [
      "everything else (the lock, settling's own code, the job's loop)",
      "",
      ms(perAttempt(profile.result.ms - accounted)),
      share(profile.result.ms - accounted),
      ms(perAttempt(profile.result.cpuMs - accountedCpu)),
    ],
    [
      "**the whole settle, one at a time**",
      "",
      `**${ms(perAttempt(profile.result.ms))}**`,
      "100%",
      `**${ms(perAttempt(profile.result.cpuMs))}**`,
    ],
  ]
  const sweepRows = [
    [
      "PaySys alone: bare check_payment from the benchmark's process",
      4,
      counts.sweep,
      ms(profile.bareMs, 0),
      ms(profile.bareMs / counts.sweep),
      `${((10_000 * profile.bareMs) / counts.sweep / 1000).toFixed(1)} s`,
    ],
    ...profile.sweep.map(({ concurrency, run }) => [
      "the job",
      concurrency === 4 ? "4 (default)" : concurrency,
      run.attempts,
      ms(run.ms, 0),
      ms(run.ms / Math.max(1, run.attempts)),
      `${((10_000 * run.ms) / Math.max(1, run.attempts) / 1000).toFixed(1)} s`,
    ]),
  ]
  const explained = (plan: string[]) => ["```", ...plan, "```"]
  const markdown = [
    table(header, rows),
    "",
    ...(clearing
      ? [
          `Before case 1, one run settled the ${earlier} attempts the earlier measurements left due (${clearing.attempts} settled, ${clearing.failed} failed, ${ms(clearing.ms, 0)}).`,
          "",
        ]
      : []),
    `Due attempts: real at the sandbox (declined saved-card charges made with pay_by_id, or card payments prepared and left on the 3-D Secure page), ` +
      `their ledger row, payment session and collection inserted in SQL as the provider leaves them when the answer was lost (\`sending\`, session \`pending\`); ` +
      `settling a declined one = 1 check_payment, the ledger's reads and update, and marking its session failed. Final attempts (failed, reversed, captured; next_check_at null) are SQL only. ` +
      `Each "job run" is one call of the job's default export (the scheduled job runs it once a minute), concurrency ${"`reconcileConcurrency`"} 4 (the default).`,
    "",
    `**${counts.due} due attempts beside ${counts.final} final ones: ${settled} settled in ${working.length === 1 ? "one job run" : `${working.length} job runs`}, ` +
      `${(jobMs / 1000).toFixed(1)} s of job time (${drainSeconds.toFixed(1)} s wall, with the benchmark's call counting between runs), ${totalChecks} check_payment calls; ` +
      `target ${target.toFixed(0)} s: ${jobMs / 1000 <= target ? "met" : "missed"}.** ` +
      `CPU time of those runs: Medusa server ${(cpu.medusa / 1000).toFixed(1)} s, PostgreSQL ${cpu.postgres === null ? "n/a (not embedded)" : `${(cpu.postgres / 1000).toFixed(1)} s`}, ` +
      `sandbox (this process) ${(cpu.sandbox / 1000).toFixed(1)} s: ${(cpuTotal / counts.due).toFixed(2)} ms of CPU per attempt, so on 2 idle cores no concurrency could settle 10,000 in less than ` +
      `${(((cpuTotal / counts.due) * 10_000) / 2 / 1000).toFixed(1)} s (the Medusa server alone, one Node.js thread: ${(((cpu.medusa / counts.due) * 10_000) / 1000).toFixed(1)} s). ` +
      `Per due attempt: ${(run1.ms / counts.small).toFixed(1)} / ${(jobMs / counts.due).toFixed(1)} / ${(run3.ms / counts.small).toFixed(1)} ms (cases 1 / 2 / 3): the cost follows what is due, not the ${counts.final} final rows.`,
    "",
    `The job's due query (\`PaymentLedger.listDueAttempts\`, one page of ${PAGE}, one query per tier, money first), \`EXPLAIN (ANALYZE, BUFFERS)\` with ${counts.due} due among ${ledger2} attempts (after \`ANALYZE paysys_attempt\`, as autovacuum would after the load):`,
    "",
    ...planDue.flatMap(explained),
    "",
    `The same once nothing is due:`,
    "",
    ...planAfter.flatMap(explained),
    "",
    `The ledger's update of one attempt as \`PaymentLedger.updateAttempt\` words it (by partner_trans_id, among the attempts not deleted), among ${ledger2} attempts, explained inside a rolled-back transaction:`,
    "",
    ...explained(planUpdate),
    "",
    `Every attempt a check leaves open or paid (cases 4 and 5) is also looked up in Medusa's \`payment\` table (\`CollectionClaims.medusaPaymentsUsing\`, through \`PaymentLedger.recordCapture\`), ` +
      `in its payment collection, by \`data->>'partner_trans_id'\`; with ${payments} payments in the table:`,
    "",
    ...explained(planLookup),
    "",
    `### Where the time goes`,
    "",
    `The job on ${counts.profile} due declined attempts at concurrency 1, with the time spent in each method of the PaySys client, the ledger and the Payment Module summed ` +
      `(${ms(profile.result.ms, 0)} for ${profile.result.attempts} attempts; after it: ${profile.profiledStates}). Calls and time are per settled attempt; ` +
      `the CPU column is the Medusa server's CPU time while each call ran (its own, since one attempt is settled at a time; the time waiting on PostgreSQL or PaySys is not in it):`,
    "",
    table(["part", "calls per attempt", "time per attempt", "share", "Medusa server CPU per attempt"], profileRows),
    "",
    `Then ${counts.sweep} more due attempts per run at each concurrency (\`reconcileConcurrency\`), the benchmark's 2 cores shared by the Medusa server, PostgreSQL and the sandbox, ` +
      `and as many bare check_payment calls (what PaySys itself costs here):`,
    "",
    table(["what", "concurrency", "attempts", "time", "per attempt", "10,000 at this pace"], sweepRows),
  ].join("\n")
  return {
    title: "Reconciliation: settling due ledger attempts",
    markdown,
    problems,
    summary: {
      run1,
      runs: working.length,
      jobMs,
      drainSeconds,
      cpu,
      totalChecks,
      run3,
      empty,
      blocked: { reachedPaid, ordersBlocked },
      backoff: { first: first.checks, second: second.checks },
      profile,
    },
  }
}
