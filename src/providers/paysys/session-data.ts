import { MedusaError, PaymentSessionStatus } from "@medusajs/framework/utils"
import { z } from "zod"
import { CARD_DECLINED, PAYSYS_CURRENCY_CODES, PaysysCurrency } from "../../paysys"
import { Attempt, attemptNumber } from "../../modules/paysys/ledger-types"

/**
 * What the provider keeps in `payment_session.data` (and, once paid, `payment.data`).
 * Medusa returns it to the storefront as is, so it holds only what a shopper may see:
 * never card data, tokens or secrets.
 */
export const paysysSessionDataSchema = z.object({
  session_id: z.string(),
  /** the current attempt's id at PaySys; a new one per card submission */
  partner_trans_id: z.string(),
  attempt: z.number().int().min(1),
  /** minor units */
  amount: z.string(),
  currency: z.enum(PAYSYS_CURRENCY_CODES as [PaysysCurrency, ...PaysysCurrency[]]),
  /** a saved card (paysys_saved_card id) to charge with pay_by_id instead of a typed card */
  saved_card_id: z.string().nullish(),
  /** the shopper's IP when the session was created, for pay_by_id's client_ip_addr */
  client_ip: z.string().nullish(),
  /** set once an attempt was sent to PaySys (even when its answer was lost) */
  submitted_at: z.string().nullish(),
  transaction_id: z.string().nullish(),
  paysys_status: z.number().int().nullish(),
  confirm_url: z.string().nullish(),
  card_masked: z.string().nullish(),
  rrn: z.string().nullish(),
  approval_code: z.string().nullish(),
  three_ds: z.string().nullish(),
  /** why the attempt failed: CARD_DECLINED, unless the detailedDeclines option gives PaySys's own code and reason */
  error: z.object({ code: z.union([z.number(), z.string()]), message: z.string() }).nullish(),
  paid_at: z.string().nullish(),
  canceled_at: z.string().nullish(),
  checked_at: z.string().nullish(),
  /** a copy of the ledger's refunds of this payment, for display: the ledger is the record */
  refunds: z
    .array(
      z.object({ key: z.string(), amount: z.string(), via: z.enum(["refund", "cancel", "paysys"]), at: z.string() })
    )
    .default([]),
})

export type PaysysSessionData = z.infer<typeof paysysSessionDataSchema>

const ATTEMPT_SEPARATOR = "-"

/** One id per attempt that still leads back to the session, since callbacks carry only it. */
export function partnerTransIdFor(sessionId: string, attempt: number): string {
  return `${sessionId}${ATTEMPT_SEPARATOR}${attempt}`
}

/** The session that made an attempt (partnerTransIdFor's first part), whichever session adopted it later. */
export function sessionIdOfAttempt(partnerTransId: string): string {
  return partnerTransId.slice(0, partnerTransId.lastIndexOf(ATTEMPT_SEPARATOR))
}

export function readSessionData(data: Record<string, unknown> | undefined): PaysysSessionData | null {
  const parsed = paysysSessionDataSchema.safeParse(data ?? {})
  return parsed.success ? parsed.data : null
}

/** The session's data, or an error when another provider started the payment. */
export function cardSessionData(data: Record<string, unknown> | undefined): PaysysSessionData {
  const parsed = readSessionData(data)
  if (!parsed) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "This payment was not started by the PaySys provider")
  }
  return parsed
}

/** PaySys's decline reason stays in the ledger (and the admin panel) unless `detailedDeclines` is on: see CARD_DECLINED. */
export type DeclineDetail = { detailedDeclines?: boolean }

/** The session data of an attempt as the ledger knows it: what the shopper may see of it. */
export function withAttempt(
  data: PaysysSessionData,
  attempt: Attempt,
  { detailedDeclines = false }: DeclineDetail = {}
): PaysysSessionData {
  const bank = attempt.bank ?? {}
  const open = attempt.state === "sending" || attempt.state === "open"
  return {
    ...data,
    partner_trans_id: attempt.partner_trans_id,
    attempt: attemptNumber(attempt.partner_trans_id),
    submitted_at: data.submitted_at ?? attempt.created_at.toISOString(),
    transaction_id: attempt.transaction_id ?? data.transaction_id,
    paysys_status: attempt.paysys_status,
    confirm_url: open ? data.confirm_url : null,
    card_masked: bank.card_masked ?? data.card_masked,
    rrn: bank.rrn ?? null,
    approval_code: bank.approval_code ?? null,
    // how 3-D Secure ended tells a card tester something of a decline too
    three_ds: bank.error && !detailedDeclines ? null : (bank.three_ds ?? null),
    error: bank.error ? (detailedDeclines ? bank.error : CARD_DECLINED) : null,
    paid_at: attempt.paid_at?.toISOString() ?? null,
    checked_at: new Date().toISOString(),
  }
}

/**
 * The session status an attempt stands for. PaySys payments are one-stage. An attempt still
 * open at PaySys (0 created, 1 awaiting 3-D Secure), or whose answer is not known yet, is
 * `pending`; one that never reached PaySys asks the shopper again.
 */
export function sessionStatusOf(attempt: Attempt | null): PaymentSessionStatus {
  switch (attempt?.state) {
    case undefined:
    case "never_sent":
      return PaymentSessionStatus.REQUIRES_MORE
    case "paid":
    case "captured":
      return PaymentSessionStatus.CAPTURED
    case "failed":
      return PaymentSessionStatus.ERROR
    case "reversed":
    case "reversing":
      return PaymentSessionStatus.CANCELED
    default:
      return PaymentSessionStatus.PENDING
  }
}

/**
 * The status of a session none of whose attempts a completion could take (claim). One that took
 * money is then no payment of it: another attempt pays the cart, or a reversal started. The
 * session waits, never `captured`, so that Medusa makes no second payment of the cart.
 */
export function unclaimedStatusOf(attempt: Attempt | null): PaymentSessionStatus {
  const status = sessionStatusOf(attempt)
  return status === PaymentSessionStatus.CAPTURED ? PaymentSessionStatus.PENDING : status
}
