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
  const paymentModule = container.resolve(Modules.PAYMENT)
  const providers = await paymentModule.listPaymentProviders({}, { select: ["id"] })
  const waiting: FilterablePaymentSessionProps & { status: string } = {
    provider_id: providers.map((p) => p.id).filter((id) => id.startsWith("pp_paysys_")),
    status: PaymentSessionStatus.PENDING, // not a typed filter, but a column of payment_session
    updated_at: { $lt: cutoff.toISOString() },
  }
  const sessions = await paymentModule.listPaymentSessions(waiting, {
    select: ["id", "data"],
    take: PAGE,
    order: { updated_at: "ASC" },
  })
  const attempts = sessions.flatMap((session) => {
    const data = readSessionData(session.data)
    return data?.submitted_at ? [data.partner_trans_id] : []
  })

  const results = [
    ...(await mapWithConcurrency(notifications, reconcileConcurrency, (n) => processPaysysNotification(container, n.id))),
    ...(await mapWithConcurrency(attempts, reconcileConcurrency, (id) => settlePaysysPayment(container, id))),
  ]
  const failed = results.filter((result) => result.status === "rejected")
  if (results.length) {
    logger.info(
      `PaySys reconciliation: ${notifications.length} notification(s), ${attempts.length} waiting payment(s), ${failed.length} failed`
    )
  }
  for (const failure of failed) {
    logger.warn(`PaySys reconciliation: ${(failure as PromiseRejectedResult).reason?.message ?? failure}`)
  }
  return { notifications: notifications.length, payments: attempts.length, failed: failed.length }
}

export const config = {
  name: "paysys-reconcile-payments",
  schedule: "* * * * *",
}
