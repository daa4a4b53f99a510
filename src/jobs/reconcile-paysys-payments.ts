import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { backoffAt } from "../modules/paysys/attempt-checks"
import { mapWithConcurrency } from "../workflows/map-with-concurrency"
import { processPaysysNotification } from "../workflows/process-notification"
import { settlePaysysPayment } from "../workflows/settle-paysys-payment"

const PAGE = 200
const JOB_LOCK = "paysys:reconcile-payments"

export type ReconcileResult = { notifications: number; attempts: number; failed: number; expiredCards: number; skipped: boolean }

/**
 * Callbacks may never come. Every minute: process notifications whose processing is due
 * again, and settle every ledger attempt whose next look is due (an index on next_check_at),
 * so its cost follows what is due, not what the store ever sold. One run at a time across all
 * servers (a job-level lock; a run finding it held skips), so no PaySys call is repeated.
 */
export default async function reconcilePaysysPayments(container: MedusaContainer): Promise<ReconcileResult> {
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
      return { notifications: 0, attempts: 0, failed: 0, expiredCards: 0, skipped: true } // another run holds the lock
    }
    throw error
  }
}

async function reconcile(container: MedusaContainer): Promise<ReconcileResult> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const { reconcileConcurrency } = paysys.options
  const now = new Date()
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
  const results = await mapWithConcurrency(notifications, reconcileConcurrency, (n) => processPaysysNotification(container, n.id))

  // each due attempt once per run: one that stays due (a failure) waits for its backoff
  const seen = new Set<string>()
  for (;;) {
    const due = (await paysys.ledger.listDueAttempts(now, PAGE)).filter(({ partner_trans_id }) => !seen.has(partner_trans_id))
    if (!due.length) {
      break
    }
    due.forEach(({ partner_trans_id }) => seen.add(partner_trans_id))
    results.push(
      ...(await mapWithConcurrency(due, reconcileConcurrency, ({ partner_trans_id, payment_collection_id }) =>
        settlePaysysPayment(container, partner_trans_id, { paymentCollectionId: payment_collection_id, fromJob: true }).catch(async (error) => {
          // whatever state the failure left it in, it is looked at again after its backoff
          const attempt = await paysys.ledger.retrieveAttempt(partner_trans_id)
          await paysys.ledger.updateAttempt(partner_trans_id, {
            next_check_at: backoffAt(paysys.schedule, attempt.checks),
            last_error: (error as Error).message.slice(0, 500),
          })
          throw error
        })
      ))
    )
  }

  // card registrations never confirmed: abandoned at 3-D Secure, or a card tester's
  const expiredCards = await paysys.expirePendingCards()

  const failed = results.filter((result) => result.status === "rejected")
  if (results.length || expiredCards) {
    const counts = `${notifications.length} notification(s), ${seen.size} attempt(s), ${failed.length} failed`
    logger.info(`PaySys reconciliation: ${counts}, ${expiredCards} pending card(s) expired`)
  }
  for (const failure of failed) {
    logger.warn(`PaySys reconciliation: ${(failure as PromiseRejectedResult).reason?.message ?? failure}`)
  }
  return { notifications: notifications.length, attempts: seen.size, failed: failed.length, expiredCards, skipped: false }
}

export const config = {
  name: "paysys-reconcile-payments",
  schedule: "* * * * *",
}
