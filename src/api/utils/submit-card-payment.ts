import { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { maskPan, PaysysError, PaysysRateLimitedError, PaysysStatus } from "../../paysys"
import { PAYSYS_MODULE } from "../../modules/paysys"
import type { CardDetails, PaysysModuleService } from "../../modules/paysys"
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { checkAttempt } from "../../modules/paysys/check-attempt"
import { Attempt, entry } from "../../modules/paysys/ledger-types"
import {
  partnerTransIdFor,
  PaysysSessionData,
  readSessionData,
  sessionStatusOf,
  withAttempt,
} from "../../providers/paysys/session-data"
import { cartOfCollection } from "../../workflows/cart-of-collection"
import { collectionLockKey } from "../../workflows/lock-keys"
import { isAllowedRedirectUrl } from "../../providers/paysys/redirect-url"
import { isCardProviderId } from "../../providers/provider-ids"

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
 * the writes around the call hold only what the storefront may see.
 *
 * Each submission is a new attempt with a new partner_trans_id, recorded in the ledger and
 * marked sent before PaySys is called: an answer lost in transit never leads to the same id
 * being sent twice, and reconciliation finds the attempt whatever happens to the session.
 */
export async function submitCardPayment(container: MedusaContainer, input: SubmitCardPaymentInput) {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  // before anything is written: a store on the hosted form only takes no card here
  paysys.cardGateway()
  const config = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  if (
    !isAllowedRedirectUrl(input.redirectUrl, paysys.options.allowedRedirectOrigins, config.projectConfig.http.storeCors)
  ) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "redirect_url: its origin is not one of the store's (store CORS or the plugin's allowedRedirectOrigins)"
    )
  }
  const session = await retrieveSession(container, input.paymentSessionId)
  return container
    .resolve(Modules.LOCKING)
    .execute(collectionLockKey(session.payment_collection_id), () => submitLocked(container, paysys, input), {
      timeout: 10,
    })
}

async function retrieveSession(container: MedusaContainer, id: string) {
  return container
    .resolve(Modules.PAYMENT)
    .retrievePaymentSession(id, {
      select: [
        "id",
        "provider_id",
        "status",
        "amount",
        "currency_code",
        "data",
        "authorized_at",
        "payment_collection_id",
      ],
    })
    .catch(() => {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `payment session ${id} was not found`)
    })
}

async function submitLocked(container: MedusaContainer, paysys: PaysysModuleService, input: SubmitCardPaymentInput) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const session = await retrieveSession(container, input.paymentSessionId)
  const current = isCardProviderId(session.provider_id) ? readSessionData(session.data) : null
  if (!current) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `payment session ${session.id} is not a PaySys payment session`
    )
  }
  if (session.authorized_at || !OPEN_STATUSES.includes(session.status)) {
    throw new MedusaError(MedusaError.Types.CONFLICT, `payment session ${session.id} is already ${session.status}`)
  }
  await refuseIfAlreadyPaid(paysys, session.id, container.resolve(ContainerRegistrationKeys.LOGGER))

  const { ledger, schedule } = paysys
  const attempt = await ledger.createAttempt(
    {
      partner_trans_id: partnerTransIdFor(session.id, (await ledger.countAttemptsMadeFor(session.id)) + 1),
      provider_id: session.provider_id,
      kind: "card",
      session_id: session.id,
      payment_collection_id: session.payment_collection_id,
      cart_id: await cartOfCollection(container, session.payment_collection_id),
      amount: current.amount,
      currency: current.currency,
      next_check_at: new Date(Date.now() + schedule.firstCheckMs),
    },
    "card submitted"
  )
  const submitted: PaysysSessionData = {
    ...withAttempt(current, attempt),
    submitted_at: new Date().toISOString(),
    confirm_url: null,
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
  await ledger.markSent(attempt.partner_trans_id)

  try {
    const prepared = await paysys.prepareCardPayment(input.card, {
      partnerTransId: attempt.partner_trans_id,
      amount: attempt.amount,
      currency: attempt.currency,
      clientIp: input.clientIp,
      redirectUrl: input.redirectUrl,
    })
    const open = await ledger.updateAttempt(
      attempt.partner_trans_id,
      { event: "paysys_open", transaction_id: prepared.transaction_id, paysys_status: PaysysStatus.CREATED },
      entry("prepare_payment accepted", PaysysStatus.CREATED)
    )
    const updated = await save(
      { ...withAttempt(submitted, open), confirm_url: prepared.confirm_url },
      PaymentSessionStatus.PENDING
    )
    return { payment_session: updated, confirm_url: prepared.confirm_url }
  } catch (error) {
    if (error instanceof PaysysError) {
      // refused outright (a bad card for PaySys, a limit): the shopper may try another card
      const failed = await ledger.updateAttempt(
        attempt.partner_trans_id,
        {
          event: "paysys_declined",
          outcome: "refused",
          paysys_status: PaysysStatus.ERROR,
          next_check_at: null,
          bank: { card_masked: submitted.card_masked, error: { code: error.code, message: error.paysysMessage } },
        },
        entry("prepare_payment refused", null, error.paysysMessage)
      )
      await save(withAttempt(submitted, failed, paysys.options), PaymentSessionStatus.ERROR)
    }
    if (error instanceof PaysysRateLimitedError) {
      // HTTP 429: PaySys did not carry it out, so the attempt never reached it; the shopper tries again later
      const notSent = await ledger.updateAttempt(
        attempt.partner_trans_id,
        { event: "paysys_never_received", outcome: "never_reached_paysys", next_check_at: null },
        entry("prepare_payment rate limited (HTTP 429)", null, error.message)
      )
      await save(withAttempt(submitted, notSent), sessionStatusOf(notSent))
    }
    // a transport failure leaves the attempt as sent: reconciliation asks PaySys about it
    throw error
  }
}

/**
 * An earlier attempt may have been paid in the meantime (3-D Secure in another tab). One the ledger
 * knows paid refuses the card; PaySys is asked about one attempt at most: the latest one whose
 * confirm_url reached the shopper and that is not finished. An attempt never given a confirm_url
 * cannot be paid by the shopper, and older ones are reconciliation's: a payment made on any of them
 * later is still settled (completes the cart, or is given back as a second payment). PaySys failing
 * to answer about it does not stop the shopper either, for the same reason.
 */
async function refuseIfAlreadyPaid(paysys: PaysysModuleService, sessionId: string, logger: Logger) {
  const attempts = await paysys.ledger.listSessionAttempts(sessionId)
  const latestShown = attempts.filter((attempt) => attempt.state === "open").at(-1)
  let known = attempts.some(paysOrder)
  if (!known && latestShown) {
    known = await checkAttempt(paysys.client, paysys.ledger, latestShown, paysys.schedule, "card submitted").then(
      paysOrder,
      (error: Error) => {
        logger.warn(
          `PaySys: ${latestShown.partner_trans_id} could not be checked before a new card (${error.message}); reconciliation settles it`
        )
        return false
      }
    )
  }
  if (known) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      "This payment is already completed at PaySys: complete the cart instead of paying again"
    )
  }
}

/** Paid at PaySys and not being given back: the cart is to be completed with it. */
const paysOrder = (attempt: Attempt) => (attempt.state === "paid" || attempt.state === "captured") && tookMoney(attempt)
