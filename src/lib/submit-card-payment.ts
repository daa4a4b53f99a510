import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { maskPan, PaysysError, PaysysStatus } from "../paysys"
import { PAYSYS_MODULE } from "../modules/paysys"
import type { CardDetails, PaysysModuleService } from "../modules/paysys"
import { partnerTransIdFor, PaysysSessionData, readSessionData, withPaysysStatus } from "../providers/paysys/session-data"
import { isAllowedRedirectUrl } from "./redirect-url"

export type SubmitCardPaymentInput = {
  paymentSessionId: string
  card: CardDetails
  clientIp: string
  redirectUrl: string
}

/** Statuses from which a shopper may (re)submit a card. */
const OPEN_STATUSES: string[] = [
  PaymentSessionStatus.PENDING,
  PaymentSessionStatus.REQUIRES_MORE,
  PaymentSessionStatus.ERROR,
  PaymentSessionStatus.CANCELED,
]

/**
 * Starts a PaySys card payment for a payment session and returns the 3-D Secure URL.
 *
 * Not a workflow on purpose: a workflow's input may be persisted by the workflow engine,
 * and the card must not be. The card goes from the route to PaySys and nowhere else;
 * the two writes around the call hold only what the storefront may see.
 *
 * Each submission is a new attempt with a new partner_trans_id, recorded before PaySys
 * is called: an answer lost in transit never leads to the same id being sent twice.
 */
export async function submitCardPayment(container: MedusaContainer, input: SubmitCardPaymentInput) {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const config = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  if (!isAllowedRedirectUrl(input.redirectUrl, paysys.options.allowedRedirectOrigins, config.projectConfig.http.storeCors)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "redirect_url: its origin is not one of the store's (store CORS or the plugin's allowedRedirectOrigins)"
    )
  }
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(`paysys:payment-session:${input.paymentSessionId}`, () => submitLocked(container, paysys, input), {
    timeout: 10,
  })
}

async function submitLocked(container: MedusaContainer, paysys: PaysysModuleService, input: SubmitCardPaymentInput) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const session = await paymentModule
    .retrievePaymentSession(input.paymentSessionId, {
      select: ["id", "provider_id", "status", "amount", "currency_code", "data", "authorized_at"],
    })
    .catch(() => {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `payment session ${input.paymentSessionId} was not found`)
    })
  const current = session.provider_id.startsWith("pp_paysys_") ? readSessionData(session.data) : null
  if (!current) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `payment session ${session.id} is not a PaySys payment session`)
  }
  if (session.authorized_at || !OPEN_STATUSES.includes(session.status)) {
    throw new MedusaError(MedusaError.Types.CONFLICT, `payment session ${session.id} is already ${session.status}`)
  }
  await refuseIfAlreadyPaid(paysys, current)

  const attempt = current.submitted_at ? current.attempt + 1 : current.attempt
  const submitted: PaysysSessionData = {
    ...current,
    attempt,
    partner_trans_id: partnerTransIdFor(session.id, attempt),
    submitted_at: new Date().toISOString(),
    transaction_id: null,
    paysys_status: null,
    confirm_url: null,
    rrn: null,
    approval_code: null,
    three_ds: null,
    error: null,
    card_masked: maskPan(input.card.card_number),
  }
  const save = (data: PaysysSessionData, status: PaymentSessionStatus) =>
    paymentModule.updatePaymentSession({
      id: session.id,
      amount: session.amount,
      currency_code: session.currency_code,
      data,
      status,
    })
  await save(submitted, PaymentSessionStatus.PENDING)

  try {
    const prepared = await paysys.prepareCardPayment(input.card, {
      partnerTransId: submitted.partner_trans_id,
      amount: submitted.amount,
      currency: submitted.currency,
      clientIp: input.clientIp,
      redirectUrl: input.redirectUrl,
    })
    const awaiting: PaysysSessionData = {
      ...submitted,
      transaction_id: prepared.transaction_id,
      confirm_url: prepared.confirm_url,
      paysys_status: PaysysStatus.CREATED,
    }
    const updated = await save(awaiting, PaymentSessionStatus.PENDING)
    return { payment_session: updated, confirm_url: prepared.confirm_url }
  } catch (error) {
    if (error instanceof PaysysError) {
      // refused outright (a bad card for PaySys, a limit): the shopper may try another card
      await save(
        { ...submitted, paysys_status: PaysysStatus.ERROR, error: { code: error.code, message: error.paysysMessage } },
        PaymentSessionStatus.ERROR
      )
    }
    // a transport failure leaves the attempt as submitted: its outcome is checked later
    throw error
  }
}

/** A previous attempt may have been paid in the meantime (3-D Secure in another tab). */
async function refuseIfAlreadyPaid(paysys: PaysysModuleService, current: PaysysSessionData) {
  if (!current.submitted_at) {
    return
  }
  const previous = await paysys.client
    .checkPayment({ partner_trans_id: current.partner_trans_id })
    .then((result) => withPaysysStatus(current, result))
    .catch((error) => {
      if (error instanceof PaysysError) {
        return null // never reached PaySys: nothing was paid
      }
      throw error
    })
  if (previous?.paysys_status === PaysysStatus.COMPLETED) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      "This payment is already completed at PaySys: complete the cart instead of paying again"
    )
  }
}
