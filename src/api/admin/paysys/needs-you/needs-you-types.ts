/** The answer of `GET /admin/paysys/needs-you`, shared by the server and the admin page (types only). */
import type { NeedsYouAction, NeedsYouKind } from "../../../../modules/paysys/needs-you"

export type { NeedsYouAction, NeedsYouKind }

export type PaysysNeedsYouItem = {
  key: string
  kind: NeedsYouKind
  /** what takes it off the list */
  action: NeedsYouAction
  partner_trans_id: string | null
  method: "card" | "saved_card" | "form" | null
  order_id: string | null
  /** minor units, as PaySys has it */
  amount: string | null
  amount_major: string | null
  currency: string | null
  card_masked: string | null
  paid_at: string | null
  /** when it started waiting */
  since: string
  reason: string | null
  refund_id: string | null
  notification_id: string | null
}

export type PaysysNeedsYouList = { items: PaysysNeedsYouItem[]; count: number; limit: number; offset: number }
