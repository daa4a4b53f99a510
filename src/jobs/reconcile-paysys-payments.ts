import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { backoffAt } from "../modules/paysys/look-schedule"
import { PaysysRateLimitedError } from "../paysys"
import { alertNeedsYou } from "../workflows/alert-needs-you"
import { mapWithConcurrency } from "../workflows/map-with-concurrency"
import { DEFERRED, processPaysysNotification } from "../workflows/process-notification"
import { settlePaysysPayment } from "../workflows/settlement/settle-paysys-payment"

const PAGE = 200
const JOB_LOCK = "paysys:reconcile-payments"

export type ReconcileResult = {
  notifications: number
  attempts: number
  failed: number
  /** card registrations left pending past pendingCardTtlSeconds, expired by this run */
  expiredCards: number
  /** form callback signatures too old to be replayed, deleted by this run */
  purgedSignatures: number
  skipped: boolean
  /** the run stopped on PaySys's request budget (spent, or paused by PaySys's 429): the rest stays due */
  budgetSpent: boolean
  /** failures that were PaySys's (its errors, unreachable), and its HTTP 429s */
  paysysErrors?: number
  rateRefusals?: number
}

/**
 * Callbacks may never come. Every minute: process notifications whose processing is due
 * again, and settle every ledger attempt whose next look is due (an index on next_check_at),
 * so its cost follows what is due, not what the store ever sold; attempts holding money first.
 * One run at a time across all servers (a job-level lock; a run finding it held skips), so no
 * PaySys call is repeated. Its PaySys calls come from the background budget: once it is spent,
 * the run stops and what is left keeps its place for the next one.
 */
export default async function reconcilePaysysPayments(container: MedusaContainer): Promise<ReconcileResult> {
  const startedAt = new Date()
  const result = await reconcileUnderLock(container)
  await recordRunAndAlert(container, startedAt, result)
  return result
}

/** The run for the merchant's PaySys page, and alerts about what entered "Needs you": never fails the run. */
async function recordRunAndAlert(container: MedusaContainer, startedAt: Date, result: ReconcileResult) {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const {
    notifications,
    attempts,
    failed,
    expiredCards,
    skipped,
    budgetSpent,
    paysysErrors = 0,
    rateRefusals = 0,
  } = result
  await paysys.reconcileRuns
    .record({
      started_at: startedAt,
      duration_ms: Date.now() - startedAt.getTime(),
      notifications,
      attempts,
      failed,
      expired_cards: expiredCards,
      skipped,
      budget_spent: budgetSpent,
      paysys_errors: paysysErrors,
      rate_refusals: rateRefusals,
    })
    // alerts wait for a server that is not shutting down: each is sent once, whichever run sends it
    .then(() => (paysys.stopping ? 0 : alertNeedsYou(container)))
    .catch((error) =>
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`PaySys reconciliation: ${(error as Error).message}`)
    )
}

async function reconcileUnderLock(container: MedusaContainer): Promise<ReconcileResult> {
  let started = false
  try {
    return await container.resolve(Modules.LOCKING).execute(
      JOB_LOCK,
      () => {
        started = true
        return reconcile(container)
      },
      { timeout: 1 }
    )
  } catch (error) {
    if (!started) {
      // another run holds the lock
      return {
        notifications: 0,
        attempts: 0,
        failed: 0,
        expiredCards: 0,
        purgedSignatures: 0,
        skipped: true,
        budgetSpent: false,
      }
    }
    throw error
  }
}

async function reconcile(container: MedusaContainer): Promise<ReconcileResult> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const budget = paysys.callBudget()
  const { reconcileConcurrency } = paysys.options
  const now = new Date()
  let budgetSpent = false
  /** no more work this run: the budget is spent, or the server is shutting down */
  const ended = () => budgetSpent || paysys.stopping
  /** PaySys's 429s met by the run */
  let rateLimited = 0
  /** why the budget could not be counted, if it could not */
  let unavailable: string | null = null
  // fresh notifications are the subscriber's; failed ones come back when their backoff ends
  const cutoff = new Date(now.getTime() - paysys.schedule.firstCheckMs)
  const notifications = await paysys.listPaysysNotifications(
    {
      processed_at: null,
      parked_at: null,
      $or: [{ next_attempt_at: { $lte: now } }, { next_attempt_at: null, created_at: { $lt: cutoff } }],
    },
    { select: ["id"], take: PAGE, order: { next_attempt_at: "ASC" } }
  )
  let processed = 0
  const results = await mapWithConcurrency(notifications, reconcileConcurrency, async (n) => {
    if (ended()) {
      return null
    }
    const outcome = await processPaysysNotification(container, n.id).catch((error) => {
      processed++
      throw error
    })
    if (outcome === DEFERRED) {
      budgetSpent = true
    } else {
      processed++
    }
    return outcome
  })

  // each due attempt once per run: one that stays due (a failure) waits for its backoff
  const seen = new Set<string>()
  let attempts = 0
  while (!ended()) {
    const due = (await paysys.ledger.listDueAttempts(now, PAGE)).filter(
      ({ partner_trans_id }) => !seen.has(partner_trans_id)
    )
    if (!due.length) {
      break
    }
    results.push(
      ...(await mapWithConcurrency(due, reconcileConcurrency, async ({ partner_trans_id, payment_collection_id }) => {
        if (ended()) {
          return null
        }
        const settled = await budget.run(() => {
          attempts++
          return settlePaysysPayment(container, partner_trans_id, {
            paymentCollectionId: payment_collection_id,
            fromJob: true,
          }).catch(async (error) => {
            if (!(error instanceof PaysysRateLimitedError)) {
              // whatever state the failure left it in, it is looked at again after its backoff
              const attempt = await paysys.ledger.retrieveAttempt(partner_trans_id)
              await paysys.ledger.updateAttempt(partner_trans_id, {
                next_check_at: backoffAt(paysys.schedule, attempt.checks),
                last_error: (error as Error).message.slice(0, 500),
              })
            }
            throw error
          })
        })
        if (settled.deferred) {
          rateLimited += settled.rateLimited ? 1 : 0
          budgetSpent = true // left due, in its place
          unavailable ??= settled.unavailable ?? null
          return null
        }
        return settled.value
      }))
    )
    due.forEach(({ partner_trans_id }) => seen.add(partner_trans_id))
  }

  // card registrations never confirmed: abandoned at 3-D Secure, or a card tester's
  const expiredCards = await paysys.expirePendingCards()
  const purgedSignatures = await paysys.purgeFormSignatures()

  const failed = results.filter((result) => result.status === "rejected")
  if (results.length || expiredCards || purgedSignatures) {
    const stopped = unavailable
      ? `; stopped: PaySys's background request budget cannot be counted (${unavailable}), the rest is due at the next run`
      : budgetSpent
        ? "; stopped: PaySys's background request budget is spent, the rest is due at the next run"
        : paysys.stopping
          ? "; stopped: the server is shutting down, the rest is due at the next run"
          : ""
    const counts =
      `${processed} notification(s), ${attempts} attempt(s), ${failed.length} failed, ${expiredCards} pending card(s) expired, ` +
      `${purgedSignatures} old form signature(s) purged`
    logger.info(`PaySys reconciliation: ${counts}${stopped}`)
  }
  for (const failure of failed) {
    logger.warn(`PaySys reconciliation: ${(failure as PromiseRejectedResult).reason?.message ?? failure}`)
  }
  // by name: an error may come from another copy of the client's module (a plugin loaded twice)
  const named = (name: string) =>
    failed.filter((failure) => (failure as PromiseRejectedResult).reason?.name === name).length
  const rateRefusals = rateLimited + named("PaysysRateLimitedError")
  const paysysErrors = named("PaysysError") + named("PaysysTransportError")
  return {
    notifications: processed,
    attempts,
    failed: failed.length,
    expiredCards,
    purgedSignatures,
    skipped: false,
    budgetSpent,
    paysysErrors,
    rateRefusals,
  }
}

export const config = {
  name: "paysys-reconcile-payments",
  schedule: "* * * * *",
}
