/**
 * The answer of the admin PaySys routes, shared by the server and the admin widget
 * (types only: nothing of the server reaches the admin bundle).
 */
import type { PaysysSessionData } from "../../../providers/paysys/session-data"

/**
 * What the admin order page shows of a PaySys payment (the `paysys` of
 * `GET /admin/paysys/orders/:id`). Only what a merchant may see: the masked PAN, never a
 * card number, token, secret or the 3-D Secure page's address.
 */
export type PaysysOrderPanel = {
  order_id: string
  payment_id: string
  provider_id: string
  payment_session_id: string | null
  partner_trans_id: string
  attempt: number
  transaction_id: string | null
  /** PaySys's status: 0 created, 1 awaiting 3-D Secure, 2 paid, 3 reversed, 6 refunded, < 0 failed */
  paysys_status: number | null
  status: PaysysStatusLabel
  /** minor units, as PaySys has it */
  amount: string
  /** the same amount in major units, as Medusa has it */
  amount_major: string
  currency: string
  /** what was refunded or reversed at PaySys, minor and major units */
  refunded_amount: string
  refunded_amount_major: string
  card_masked: string | null
  rrn: string | null
  approval_code: string | null
  three_ds: string | null
  error: { code: number; message: string } | null
  submitted_at: string | null
  paid_at: string | null
  captured_at: string | null
  canceled_at: string | null
  checked_at: string | null
  created_at: string | null
  /** every attempt's id at PaySys for this order's PaySys sessions */
  partner_trans_ids: string[]
  /** every attempt of the order's cart, from the ledger: how each one ended, and why */
  attempts: ({
    partner_trans_id: string
    state: string
    outcome: string | null
    paysys_status: number | null
    created_at: string
  } & Money)[]
  /** what the plugin cannot settle from PaySys's word alone */
  attention: PaysysAttentionItem[]
  /** a payment through PaySys's hosted form: what its callbacks said; null for a card payment */
  form: PaysysFormDetails | null
  history: PaysysHistoryEntry[]
}

export type PaysysFormDetails = {
  agr_trans_id: string | null
  vendor_trans_id: number
  /** PAYMENT_NAME: the card type (uzcard, humo, visa, mastercard) */
  payment_name: string | null
  environment: "sandbox" | "live" | null
  /** PaySys's calls about this payment and what the plugin did, oldest first */
  callbacks: { at: string; event: string; detail: string | null }[]
  /** the fiscal receipt answered to Fiscalization (TYPE PAYMENT), as sent */
  receipt: unknown | null
}

export type PaysysAttentionItem =
  /** PaySys reports a refund Medusa did not make (its cabinet): record it with its amount */
  | { type: "refund_unexplained" }
  /** a refund PaySys made whose answer was lost: Medusa has no refund for it yet */
  | ({ type: "refund_unbooked"; refund_key: string } & Money)
  /** a refund sent whose outcome PaySys's status cannot tell: the merchant checks the PaySys cabinet and says */
  | ({ type: "refund_unknown"; refund_id: string; refund_key: string } & Money)
  | { type: "attempt_parked"; partner_trans_id: string; reason: string | null }
  /** PaySys's Cancel of a payment its status API still says is paid (forged or replayed?): nothing was refunded */
  | { type: "cancel_contradicted"; partner_trans_id: string; at: string; reason: string | null }
  | { type: "notification_parked"; notification_id: string; reason: string | null }

export type PaysysStatusLabel =
  "waiting" | "paid" | "failed" | "reversed" | "partially_refunded" | "refunded" | "unknown"

export type Money = { amount: string | null; amount_major: string | null; currency: string }

/** The payment's life, oldest first. */
export type PaysysHistoryEntry =
  | ({ type: "paid"; at: string; partner_trans_id: string } & Money)
  | ({ type: "captured"; at: string; capture_id: string } & Money)
  | ({
      type: "notification"
      at: string
      notification_id: string
      partner_trans_id: string | null
      /** what PaySys claimed: its status, as sent */
      reported_status: string
      status: PaysysStatusLabel
      deliveries: number
      processed_at: string | null
      /** what processing concluded (see SettleOutcome), null while unprocessed */
      outcome: string | null
      last_error: string | null
    } & Money)
  | ({
      type: "refund"
      at: string
      /** Medusa's refund id (PaySys's idempotency key), null for one Medusa has no record of */
      refund_id: string | null
      /** refund_payment, cancel_payment (a reversal), or made at PaySys and recorded by the plugin */
      via: PaysysRefundVia | null
      note: string | null
      reason: string | null
    } & Money)
  | ({ type: "cancellation"; at: string; source: "paysys" | "medusa" } & Money)

type PaysysRefundVia = PaysysSessionData["refunds"][number]["via"]
