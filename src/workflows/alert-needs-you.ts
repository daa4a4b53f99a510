import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { NeedsYouKind, NeedsYouRow } from "../modules/paysys/needs-you"
import { fromMinorUnits, isPaysysCurrency } from "../paysys"

/** Alerts sent per run at most: a backlog is told over a few runs, not in one burst. */
const ALERTS_PER_RUN = 50

/** The admin's notification feed (Medusa's local provider shows it under the bell). */
const FEED_CHANNEL = "feed"
const EMAIL_CHANNEL = "email"

const TITLES: Record<NeedsYouKind, string> = {
  form_refund_in_cabinet: "PaySys: a form payment has no order, refund it in the PaySys cabinet",
  reversal_refused: "PaySys: a card payment without an order could not be given back",
  unsettled_at_horizon: "PaySys: a payment is still unsettled, look at it in the PaySys cabinet",
  refund_unexplained: "PaySys: a refund made in the PaySys cabinet is not recorded",
  refund_in_doubt: "PaySys: a refund's outcome is unknown, check the PaySys cabinet",
  notification_parked: "PaySys: a notification keeps failing",
  cancel_contradicted: "PaySys: a cancellation its status API contradicts, check the payment in the PaySys cabinet",
}

/**
 * Tells the merchant of every item that entered "Needs you", once per item: through the admin's
 * feed and any email provider the store configured (Medusa's Notification Module). The alert is
 * recorded (paysys_alert) before it is sent, so a retry or another server never sends it again;
 * one that could not be sent is given back for the next run. Answers how many were sent.
 */
export async function alertNeedsYou(container: MedusaContainer): Promise<number> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const channels = await paysys.needsYou.notificationChannels()
  if (!channels.includes(FEED_CHANNEL) && !channels.includes(EMAIL_CHANNEL)) {
    return 0
  }
  const items = await paysys.needsYou.listUnalerted(ALERTS_PER_RUN)
  if (!items.length) {
    return 0
  }
  const notifications = container.resolve(Modules.NOTIFICATION)
  const emails = channels.includes(EMAIL_CHANNEL)
    ? (await container.resolve(Modules.USER).listUsers({}, { select: ["email"] })).map((user) => user.email)
    : []
  let sent = 0
  for (const item of items) {
    if (!(await paysys.needsYou.claimAlert(item))) {
      continue
    }
    const data = { title: TITLES[item.kind], description: describe(item), ...item }
    try {
      await notifications.createNotifications([
        ...(channels.includes(FEED_CHANNEL)
          ? [{ to: "", channel: FEED_CHANNEL, template: "admin-ui", data, idempotency_key: `paysys:${item.key}` }]
          : []),
        ...emails.map((to) => ({
          to,
          channel: EMAIL_CHANNEL,
          template: "paysys-needs-you",
          data,
          idempotency_key: `paysys:${item.key}:${to}`,
        })),
      ])
      await paysys.needsYou.markAlertSent(item)
      sent++
    } catch (error) {
      await paysys.needsYou.releaseAlert(item)
      logger.warn(
        `PaySys: the alert about ${item.key} could not be sent (${(error as Error).message}); tried again at the next run`
      )
    }
  }
  return sent
}

function describe(item: NeedsYouRow): string {
  const amount =
    item.amount && item.currency
      ? `${isPaysysCurrency(item.currency) ? fromMinorUnits(item.amount, item.currency) : item.amount} ${item.currency.toUpperCase()}`
      : null
  return [
    amount,
    item.card_masked,
    item.partner_trans_id,
    item.order_id ? `order ${item.order_id}` : "no order",
    item.reason,
  ]
    .filter(Boolean)
    .join(" · ")
}
