import { Modules, PaymentActions } from "@medusajs/framework/utils"
import { createPaymentSessionsWorkflow, processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { fromPaysysAmount } from "../../modules/paysys/money"
import { Attempt, entry } from "../../modules/paysys/ledger-types"
import { SettleContext, Step } from "./context"
import { giveBackPaid } from "./give-back"

/**
 * Completes the attempt's cart with it, through Medusa's own processPaymentWorkflow (the
 * provider captures the paid attempt, then the cart is completed). When another paid attempt of
 * its session became the payment instead, this one is a second payment, given back.
 */
export async function completeCartWith(ctx: SettleContext, attempt: Attempt): Promise<Step> {
  const { container, paysys } = ctx
  const sessionId = await sessionToComplete(ctx, attempt)
  await processPaymentWorkflow(container).run({
    input: {
      action: PaymentActions.SUCCESSFUL,
      data: { session_id: sessionId, amount: fromPaysysAmount(attempt.amount, attempt.currency) },
    },
  })
  const after = await paysys.ledger.recordCapture(await paysys.ledger.retrieveAttempt(attempt.partner_trans_id))
  return after.state === "captured" ? { again: after, capturedNow: true } : giveBackPaid(ctx, after, "second_payment")
}

/**
 * The session to complete the cart with: the attempt's own, if it is still the cart's PaySys
 * session; otherwise a new PaySys session, which Medusa's workflow makes the cart's only one,
 * and which adopts the paid attempt.
 */
async function sessionToComplete({ container, paysys }: SettleContext, attempt: Attempt): Promise<string> {
  const [own] = await container
    .resolve(Modules.PAYMENT)
    .listPaymentSessions(
      { id: attempt.session_id, payment_collection_id: attempt.payment_collection_id },
      { select: ["id"] }
    )
  if (own) {
    return own.id
  }
  const { result } = await createPaymentSessionsWorkflow(container).run({
    input: { payment_collection_id: attempt.payment_collection_id, provider_id: attempt.provider_id },
  })
  await paysys.ledger.updateAttempt(
    attempt.partner_trans_id,
    { session_id: result.id },
    entry("adopted by a new payment session", null, result.id)
  )
  return result.id
}
