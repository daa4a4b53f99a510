import { PaymentSessionStatus } from "@medusajs/framework/utils"
import { z } from "zod"
import { PaymentStatusResult, PAYSYS_CURRENCY_CODES, PaysysCurrency, PaysysStatus, redactCardNumbers } from "../../paysys"

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
  error: z.object({ code: z.number(), message: z.string() }).nullish(),
  paid_at: z.string().nullish(),
  canceled_at: z.string().nullish(),
  checked_at: z.string().nullish(),
  /**
   * refunds, keyed by Medusa's refund id so a retried call is not sent twice: sent as a
   * refund or a reversal, or made at PaySys (its cabinet) and recorded by reconciliation
   */
  refunds: z
    .array(z.object({ key: z.string(), amount: z.string(), via: z.enum(["refund", "cancel", "paysys"]), at: z.string() }))
    .default([]),
  /** a refund PaySys made that Medusa is about to record: the provider must not send it again */
  external_refund: z.object({ amount: z.string() }).nullish(),
})

export type PaysysSessionData = z.infer<typeof paysysSessionDataSchema>

const ATTEMPT_SEPARATOR = "-"

/** One id per attempt that still leads back to the session, since callbacks carry only it. */
export function partnerTransIdFor(sessionId: string, attempt: number): string {
  return `${sessionId}${ATTEMPT_SEPARATOR}${attempt}`
}

export function parsePartnerTransId(partnerTransId: string): { sessionId: string; attempt: number } | null {
  const match = /^(.+)-(\d+)$/.exec(partnerTransId)
  return match ? { sessionId: match[1], attempt: Number(match[2]) } : null
}

export function readSessionData(data: Record<string, unknown> | undefined): PaysysSessionData | null {
  const parsed = paysysSessionDataSchema.safeParse(data ?? {})
  return parsed.success ? parsed.data : null
}

/** Folds PaySys's check_payment (or cancel/refund) answer into the session data. */
export function withPaysysStatus(data: PaysysSessionData, result: PaymentStatusResult): PaysysSessionData {
  const bank = result.data as Record<string, unknown>
  const text = (key: string) => (typeof bank[key] === "string" || typeof bank[key] === "number" ? String(bank[key]) : null)
  const now = new Date().toISOString()
  const cardNumber = text("CARD_NUMBER")
  return {
    ...data,
    transaction_id: result.transaction_id,
    paysys_status: result.status,
    // bank data is sent again only by some calls: keep what an earlier answer told us
    rrn: text("RRN") ?? data.rrn,
    approval_code: text("APPROVAL_CODE") ?? data.approval_code,
    three_ds: text("3DSECURE") ?? data.three_ds,
    // PaySys sends it masked; mask again anything that looks like a full card number
    card_masked: cardNumber ? redactCardNumbers(cardNumber) : data.card_masked,
    error: result.status < 0 ? result.err_obj ?? { code: result.status, message: "PaySys reports an error" } : null,
    paid_at: result.status === PaysysStatus.COMPLETED ? data.paid_at ?? now : data.paid_at,
    canceled_at: result.status === PaysysStatus.CANCELED ? data.canceled_at ?? now : data.canceled_at,
    confirm_url: result.status === PaysysStatus.CREATED || result.status === PaysysStatus.AWAITING_PAYMENT ? data.confirm_url : null,
    checked_at: now,
  }
}

/**
 * PaySys status to Medusa's payment session status. PaySys payments are one-stage.
 * An attempt open at PaySys (0 created, 1 awaiting 3-D Secure) is `pending`: the
 * reconciliation job looks at pending sessions only.
 */
export function toSessionStatus(paysysStatus: number | null | undefined): PaymentSessionStatus {
  switch (paysysStatus) {
    case PaysysStatus.COMPLETED:
    case PaysysStatus.REFUNDED:
      return PaymentSessionStatus.CAPTURED
    case PaysysStatus.CANCELED:
      return PaymentSessionStatus.CANCELED
    case null:
    case undefined:
      // no card submitted yet: the shopper has to act
      return PaymentSessionStatus.REQUIRES_MORE
    default:
      return paysysStatus < 0 ? PaymentSessionStatus.ERROR : PaymentSessionStatus.PENDING
  }
}
