import { FilterablePaymentSessionProps, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { mapWithConcurrency } from "../lib/map-with-concurrency"
import { processPaysysNotification } from "../lib/process-notification"
import { settlePaysysPayment } from "../lib/settle-paysys-payment"
import { readSessionData } from "../providers/paysys/session-data"

const PAGE = 200

/**
 * Callbacks may never come. Every minute: process notifications left unprocessed, and ask
 * PaySys about every payment session still waiting (`pending`, with an attempt at PaySys)
 * past `reconcileAfterSeconds`, settling it as a notification would. It reads waiting
 * sessions only, so its cost follows their number; settling is locked per session, so
 * several servers may run it at once.
 */
export default async function reconcilePaysysPayments(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const { reconcileAfterSeconds, reconcileConcurrency } = paysys.options
  const cutoff = new Date(Date.now() - reconcileAfterSeconds * 1000)

  const notifications = await paysys.listPaysysNotifications(
    { processed_at: null, created_at: { $lt: cutoff } },
    { select: ["id"], take: PAGE, order: { created_at: "ASC" } }
  )
  const notificationResults = await mapWithConcurrency(notifications, reconcileConcurrency, (n) =>
    processPaysysNotification(container, n.id)
  )

  // every waiting session, a page at a time in id order: one that stays waiting (PaySys
  // still says 0 or 1) must not keep newer ones from being looked at
  const paymentModule = container.resolve(Modules.PAYMENT)
  const providers = await paymentModule.listPaymentProviders({}, { select: ["id"] })
  const providerIds = providers.map((p) => p.id).filter((id) => id.startsWith("pp_paysys_"))
  const paymentResults: PromiseSettledResult<unknown>[] = []
  let payments = 0
  for (let after = ""; ; ) {
    const waiting = {
      provider_id: providerIds,
      status: PaymentSessionStatus.PENDING,
      updated_at: { $lt: cutoff.toISOString() },
      id: { $gt: after },
    } as unknown as FilterablePaymentSessionProps // status and an id range: columns the type does not declare
    const page = await paymentModule.listPaymentSessions(waiting, { select: ["id", "data"], take: PAGE, order: { id: "ASC" } })
    const attempts = page.flatMap((session) => {
      const data = readSessionData(session.data)
      return data?.submitted_at ? [data.partner_trans_id] : []
    })
    payments += attempts.length
    paymentResults.push(...(await mapWithConcurrency(attempts, reconcileConcurrency, (id) => settlePaysysPayment(container, id))))
    if (page.length < PAGE) {
      break
    }
    after = page[page.length - 1].id
  }

  const results = [...notificationResults, ...paymentResults]
  const failed = results.filter((result) => result.status === "rejected")
  if (results.length) {
    logger.info(
      `PaySys reconciliation: ${notifications.length} notification(s), ${payments} waiting payment(s), ${failed.length} failed`
    )
  }
  for (const failure of failed) {
    logger.warn(`PaySys reconciliation: ${(failure as PromiseRejectedResult).reason?.message ?? failure}`)
  }
  return { notifications: notifications.length, payments, failed: failed.length }
}

export const config = {
  name: "paysys-reconcile-payments",
  schedule: "* * * * *",
}
