import { AuthorizePaymentOutput } from "@medusajs/framework/types"
import { MedusaError, PaymentSessionStatus } from "@medusajs/framework/utils"
import { PaysysError, PaysysRateLimitedError, PaysysTransportError } from "../../paysys"
import { isFinished } from "../../modules/paysys/attempt-checks"
import { entry } from "../../modules/paysys/ledger-types"
import { CardProviderContext } from "./card-context"
import { authorizeWith, cardStatusFromLedger, checkCardAttempt, checkIfKnown } from "./card-checks"
import { partnerTransIdFor, PaysysSessionData, withAttempt } from "./session-data"
import { toMedusaError } from "./to-medusa-error"

/**
 * pay_by_id, sent at most once per attempt: the ledger marks the attempt sent before the call,
 * and an attempt marked sent is only ever checked. After a refusal or a lost answer,
 * check_payment decides; an attempt PaySys never received leaves room for a new one.
 */
export async function chargeSavedCard(
  ctx: CardProviderContext,
  current: PaysysSessionData
): Promise<AuthorizePaymentOutput> {
  const { ledger } = ctx
  const attempts = await ledger.listSessionAttempts(current.session_id)
  const paid = attempts.find((attempt) => attempt.state === "paid" || attempt.state === "captured")
  const last = paid ?? attempts.at(-1)
  if (last && !isFinished(last)) {
    return cardStatusFromLedger(ctx, current, { claim: true })
  }
  // the completion route made sure the card's owner completes; here, that nothing changed since
  const problem = await ctx.savedCardSessions.chargeProblem(current)
  if (problem) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, problem.message)
  }
  const credentials = await ctx.savedCards.credentialsOf(current.saved_card_id!)
  if (!credentials) {
    const error = { code: 0, message: "This saved card can no longer be used" }
    return { status: PaymentSessionStatus.ERROR, data: { ...current, error } }
  }
  const attempt = await ledger.createAttempt(
    {
      partner_trans_id: partnerTransIdFor(
        current.session_id,
        (await ledger.countAttemptsMadeFor(current.session_id)) + 1
      ),
      ...(await ledger.collections.retrieveSessionOwner(current.session_id)),
      kind: "saved_card",
      session_id: current.session_id,
      amount: current.amount,
      currency: current.currency,
      saved_card_id: current.saved_card_id,
      next_check_at: new Date(Date.now() + ctx.schedule.firstCheckMs),
    },
    "pay_by_id to be sent"
  )
  if (!(await ledger.markSent(attempt.partner_trans_id))) {
    return cardStatusFromLedger(ctx, current, { claim: true })
  }
  try {
    await ctx.client.payById(
      {
        partner_trans_id: attempt.partner_trans_id,
        card_id: credentials.card_id,
        amount: attempt.amount,
        currency: attempt.currency,
        client_ip_addr: current.client_ip ?? "127.0.0.1",
        description: ctx.options.paymentDescription,
        vendor_id: ctx.options.vendorId,
      },
      credentials.token
    )
  } catch (error) {
    if (error instanceof PaysysRateLimitedError) {
      // HTTP 429: not carried out, so the attempt never reached PaySys and the next completion may make a new one
      await ledger.updateAttempt(
        attempt.partner_trans_id,
        { event: "paysys_never_received", outcome: "never_reached_paysys", next_check_at: null },
        entry("pay_by_id rate limited (HTTP 429)", null, error.message)
      )
    }
    if (!(error instanceof PaysysError) && !(error instanceof PaysysTransportError)) {
      throw toMedusaError(error, "charge the saved card")
    }
    const known = await checkIfKnown(ctx, attempt)
    if (!known && error instanceof PaysysError) {
      const refused = await ledger.updateAttempt(
        attempt.partner_trans_id,
        {
          event: "paysys_declined",
          outcome: "refused",
          next_check_at: null,
          bank: { error: { code: error.code, message: error.paysysMessage } },
        },
        entry("pay_by_id refused", null, error.paysysMessage)
      )
      return { status: PaymentSessionStatus.ERROR, data: withAttempt(current, refused, ctx.declines) }
    }
    // not known yet: pending; the attempt is only checked from now on, never sent again
    if (known) {
      return authorizeWith(ctx, current, known)
    }
    return { status: PaymentSessionStatus.PENDING, data: withAttempt(current, attempt, ctx.declines) }
  }
  return authorizeWith(ctx, current, await checkCardAttempt(ctx, attempt, "pay_by_id"))
}
