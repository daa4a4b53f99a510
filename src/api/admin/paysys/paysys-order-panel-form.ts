import type { Attempt, HistoryEntry } from "../../../modules/paysys/ledger-types"
import type { PaysysFormDetails } from "./paysys-order-panel-types"

/** The hosted form's calls about the attempt (Pay, Notify, Cancel, Fiscalization) and the status API's answers. */
const FORM_EVENT = /^(Pay|Notify|Cancel|Fiscalization|payment_status|form)\b/

/** What the hosted form's callbacks said of a form attempt. */
export function formDetails(attempt: {
  agr_trans_id: string | null
  vendor_trans_id: number
  form: unknown
  history: unknown
}): PaysysFormDetails {
  const form = attempt.form as Attempt["form"]
  const history = (Array.isArray(attempt.history) ? attempt.history : []) as HistoryEntry[]
  return {
    agr_trans_id: attempt.agr_trans_id,
    vendor_trans_id: attempt.vendor_trans_id,
    payment_name: form?.payment_name ?? null,
    environment: form?.environment ?? null,
    callbacks: history
      .filter((h) => FORM_EVENT.test(h.event))
      .map((h) => ({ at: h.at, event: h.event, detail: h.detail ?? null })),
    receipt: form?.receipts?.PAYMENT ?? null,
  }
}
