import { PaysysCurrency } from "../../paysys"
import type { AttemptEvent, AttemptState } from "./attempt-machine"
import type { RefundEvent, RefundState } from "./refund-machine"

/** The ledger's rows and changes, and its history entries. */

export type { AttemptState }

export type Attempt = {
  id: string
  partner_trans_id: string
  provider_id: string
  kind: "card" | "saved_card" | "form"
  session_id: string
  payment_collection_id: string
  cart_id: string | null
  amount: string
  currency: PaysysCurrency
  saved_card_id: string | null
  state: AttemptState
  paysys_status: number | null
  transaction_id: string | null
  agr_trans_id: string | null
  /** the hosted form's VENDOR_TRANS_ID (a serial): every attempt has one, form attempts use it */
  vendor_trans_id: number
  form: FormRecord | null
  payment_id: string | null
  outcome: string | null
  sent_at: Date | null
  paid_at: Date | null
  claimed_at: Date | null
  contradicted_at: Date | null
  next_check_at: Date | null
  checks: number
  last_error: string | null
  bank: BankData | null
  history: HistoryEntry[] | null
  created_at: Date
  updated_at: Date
}

/** What PaySys said of the payment: shown to the shopper (masked) and the merchant. */
export type BankData = {
  rrn?: string | null
  approval_code?: string | null
  three_ds?: string | null
  card_masked?: string | null
  error?: { code: number; message: string } | null
}

/** What the hosted form's callbacks said of a form attempt. */
export type FormRecord = {
  /** Pay's PAYMENT_ID: the status API needs it */
  payment_system_id: string
  /** Pay's PAYMENT_NAME: the card type (uzcard, humo, visa...) */
  payment_name: string
  environment: "sandbox" | "live"
  /** ISO time Pay was accepted: Statement lists by it */
  pay_accepted_at: string
  /** Notify statuses received, in order (2 paid, 3 cancelled) */
  notified: number[]
  /** ISO time a Cancel was accepted */
  cancel_accepted_at?: string | null
  /** the fiscal receipt answered to Fiscalization, by TYPE */
  receipts?: Record<string, unknown>
}

export type HistoryEntry = {
  at: string
  event: string
  status?: number | null
  detail?: string | null
  /** the admin user whose action this was (auth_context.actor_id) */
  actor?: string | null
}

/**
 * A Cancel of the hosted form that PaySys's status API contradicted (it still said paid):
 * nothing was booked, and the order panel and "Needs you" show it for the merchant to look at
 * (`contradicted_at`) until they checked the PaySys cabinet.
 */
export const CANCEL_CONTRADICTED_EVENT = "Cancel refused: PaySys says paid"

/** The merchant checked the contradicted cancellations so far in the PaySys cabinet. */
export const CONTRADICTION_CHECKED_EVENT = "contradicted cancellation checked in the PaySys cabinet by the merchant"

export type RefundRow = {
  id: string
  attempt_id: string
  partner_trans_id: string
  key: string
  kind: "refund" | "cancel"
  origin: "medusa" | "reconciliation" | "external"
  amount: string
  currency: string
  state: RefundState
  status_before: number | null
  booked_as: string | null
  error: { code: number; message: string } | null
  created_at: Date
  updated_at: Date
}

export type NewAttempt = Pick<
  Attempt,
  "partner_trans_id" | "provider_id" | "kind" | "session_id" | "payment_collection_id" | "amount" | "currency"
> & { cart_id?: string | null; saved_card_id?: string | null; next_check_at: Date }

export type AttemptPatch = Partial<
  Pick<
    Attempt,
    | "paysys_status"
    | "transaction_id"
    | "payment_id"
    | "agr_trans_id"
    | "form"
    | "outcome"
    | "paid_at"
    | "next_check_at"
    | "contradicted_at"
    | "last_error"
    | "bank"
    | "session_id"
    | "checks"
  >
>

/** A change of an attempt: its fields, and the event that moves its state (attempt-machine.ts), if any. */
export type AttemptChange = AttemptPatch & { event?: AttemptEvent }

/** A change of a refund row: its fields, and the event that moves its state (refund-machine.ts), if any. */
export type RefundChange = Partial<Pick<RefundRow, "booked_as" | "key" | "error">> & { event?: RefundEvent }

export function entry(event: string, status?: number | null, detail?: string | null): HistoryEntry {
  return {
    at: new Date().toISOString(),
    event,
    ...(status !== undefined ? { status } : {}),
    ...(detail ? { detail } : {}),
  }
}

/** What an admin user did, for the history. */
export function actorEntry(event: string, actor: string | null | undefined, detail?: string | null): HistoryEntry {
  return { ...entry(event, undefined, detail), actor: actor ?? null }
}

/** The attempt number in `<session id>-<n>`. */
export function attemptNumber(partnerTransId: string): number {
  return Number(/-(\d+)$/.exec(partnerTransId)?.[1] ?? 0)
}

/** PostgreSQL refused an INSERT or UPDATE that breaks a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "23505"
}
