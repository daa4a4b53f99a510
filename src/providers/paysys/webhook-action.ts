import { ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { PaymentActions } from "@medusajs/framework/utils"
import { isNotificationAuthValid, transactionStatusNotification } from "../../paysys"
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { fromPaysysAmount } from "../../modules/paysys/money"
import { CardProviderContext } from "./card-context"
import { checkCardAttempt } from "./card-checks"

/**
 * For Medusa's stock route `/hooks/payment/pp_paysys_paysys`. The plugin's own
 * `/hooks/paysys` route is the one to configure at PaySys: it records every
 * notification before answering. Either way the notification is only a hint:
 * the action comes from check_payment, and only for an attempt of this store's ledger.
 */
export async function webhookAction(
  ctx: CardProviderContext,
  payload: ProviderWebhookPayload["payload"]
): Promise<WebhookActionResult> {
  const { vendorMethod, vendorSecretKey } = ctx.options
  const authorization = payload.headers?.authorization ?? payload.headers?.Authorization
  const notification = transactionStatusNotification.safeParse(payload.data)
  if (!isNotificationAuthValid(authorization, vendorMethod, vendorSecretKey) || !notification.success) {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
  const known = await ctx.ledger.findAttempt(notification.data.account)
  if (!known) {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
  const attempt = await checkCardAttempt(ctx, known, "webhook")
  if (tookMoney(attempt)) {
    const amount = fromPaysysAmount(attempt.amount, attempt.currency)
    return { action: PaymentActions.SUCCESSFUL, data: { session_id: attempt.session_id, amount } }
  }
  if (attempt.state === "failed") {
    return { action: PaymentActions.FAILED, data: { session_id: attempt.session_id, amount: 0 } }
  }
  return { action: PaymentActions.NOT_SUPPORTED }
}
