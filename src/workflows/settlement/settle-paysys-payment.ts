import { MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { PaysysRateLimitedError } from "../../paysys"
import { PAYSYS_MODULE, PaysysModuleService } from "../../modules/paysys"
import { reverseAttempt } from "../../modules/paysys/reverse-attempt"
import { checkAttempt } from "../../modules/paysys/check-attempt"
import { notBeforeRetryAfter } from "../../modules/paysys/look-schedule"
import { Attempt, entry } from "../../modules/paysys/ledger-types"
import { collectionLockKey } from "../lock-keys"
import { completeCartWith } from "./complete-cart"
import { refundDeps, SettleContext, Step } from "./context"
import { actionFor, actionForPaid, outcomeOfReversal } from "./decisions"
import { giveBackPaid } from "./give-back"
import type { SettleOutcome } from "./outcomes"
import { markSessionIfCurrent } from "./session-status"
import { settleCaptured } from "./settle-captured"
import { whyNoOrderCanUse } from "./why-no-order"

export type { SettleOutcome }

export type SettleOptions = {
  /** known already (the job's due list): saves a read before the lock */
  paymentCollectionId?: string
  /**
   * the job settles attempts whose callback never came: a declined one is not written on its
   * session (the shopper learns it on completing the cart), which keeps each look cheap
   */
  fromJob?: boolean
}

/** More steps than any settlement takes (paid, captured, set aside, paid, captured, placed): a loop is a bug. */
const MAX_STEPS = 8

/**
 * Brings a PaySys attempt to its end, from check_payment only: whatever a callback claimed is
 * a hint that something changed. An attempt not in the ledger is not this store's and is never
 * touched. Safe to run any number of times, concurrently, from a callback, the job or several
 * servers: it works under the cart's payment collection lock, and every step looks at what is
 * done already. Every paid attempt ends as one order's captured payment, or given back.
 */
export async function settlePaysysPayment(
  container: MedusaContainer,
  partnerTransId: string,
  { paymentCollectionId, fromJob = false }: SettleOptions = {}
): Promise<SettleOutcome> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const collection = paymentCollectionId ?? (await paysys.ledger.findAttempt(partnerTransId))?.payment_collection_id
  if (!collection) {
    return "unknown_payment"
  }
  return container
    .resolve(Modules.LOCKING)
    .execute(collectionLockKey(collection), () => settleLocked({ container, paysys }, partnerTransId, fromJob), {
      timeout: 30,
    })
}

/** Checks the attempt, then takes one step after another by its state until one ends settlement. */
async function settleLocked(ctx: SettleContext, partnerTransId: string, fromJob: boolean): Promise<SettleOutcome> {
  const { container, paysys } = ctx
  const { ledger, client, schedule } = paysys
  const checked = await checkAttempt(
    client,
    ledger,
    await ledger.retrieveAttempt(partnerTransId),
    schedule,
    "settle",
    paysys.formStatus
  )
  let attempt = await ledger.recordCapture(checked)
  let capturedNow = false
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const action = actionFor(attempt.state, {
      fromJob,
      waitedMs: Date.now() - attempt.created_at.getTime(),
      abandonAfterMs: paysys.options.abandonAfterSeconds * 1000,
    })
    let step: Step
    if (action === "settle_paid") {
      step = await settlePaid(ctx, attempt)
    } else if (action === "settle_captured") {
      step = await settleCaptured(ctx, attempt)
    } else if (action === "reverse") {
      return outcomeOfReversal((await reverseAttempt(refundDeps(ctx), attempt)).state)
    } else {
      if (action.session) {
        const status = action.session === "error" ? PaymentSessionStatus.ERROR : PaymentSessionStatus.REQUIRES_MORE
        await markSessionIfCurrent(container, attempt, status)
      }
      return action.outcome
    }
    if ("outcome" in step) {
      // the order placed from a payment just made is this settlement's capture
      return capturedNow && step.outcome === "already_captured" ? "captured" : step.outcome
    }
    attempt = step.again
    capturedNow = step.capturedNow ?? false
  }
  throw new Error(`Settling PaySys attempt ${partnerTransId} took more than ${MAX_STEPS} steps`)
}

/**
 * PaySys took the money. Its cart can still be completed for this amount: complete it with this
 * attempt (in a new session if the shopper's was deleted or re-created). Otherwise no order can
 * use it: give it back after the grace period.
 */
async function settlePaid(ctx: SettleContext, attempt: Attempt): Promise<Step> {
  const { ledger, schedule } = ctx.paysys
  const others = await ledger.collections.otherMedusaPaymentsIn(attempt)
  const blocker = await whyNoOrderCanUse(ctx.container, attempt, others.length > 0)
  const action = actionForPaid({
    blocker,
    otherPayments: others.length,
    claimedOther: !blocker && !others.length && (await ledger.collections.claimedOther(attempt)) !== null,
  })
  switch (action.do) {
    case "complete_cart":
      return completeCartWith(ctx, attempt)
    case "wait_for_claimed":
      // a completion (the shopper's) took another attempt of the cart a moment ago: its payment
      // is on its way; this one is looked at again once it is there, and becomes a second payment
      await ledger.updateAttempt(attempt.partner_trans_id, {
        next_check_at: new Date(Date.now() + schedule.firstCheckMs),
      })
      return { outcome: "pending" }
    case "settle_others_then_give_back":
      await settleOtherPayments(ctx, others)
      return giveBackPaid(ctx, attempt, action.reason)
    default:
      return giveBackPaid(ctx, attempt, action.reason)
  }
}

/**
 * Settles the PaySys attempts behind the collection's other payments (already under its lock).
 * One that fails now is looked at again by the job, not left to its own schedule; over PaySys's
 * request limit (429) it waits for Retry-After, and the error goes on so that background work
 * pauses rather than calling PaySys again at once.
 */
async function settleOtherPayments(ctx: SettleContext, payments: { partner_trans_id: string | null }[]) {
  const { ledger } = ctx.paysys
  for (const { partner_trans_id } of payments) {
    const other = partner_trans_id ? await ledger.findAttempt(partner_trans_id) : null
    if (!other) {
      continue // another provider's payment
    }
    await settleLocked(ctx, other.partner_trans_id, false).catch(async (error: Error) => {
      const next_check_at = notBeforeRetryAfter(new Date(), error)
      await ledger.updateAttempt(
        other.partner_trans_id,
        { next_check_at },
        entry("settling failed", null, error.message)
      )
      if (error instanceof PaysysRateLimitedError) {
        throw error
      }
    })
  }
}
