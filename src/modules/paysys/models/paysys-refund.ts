import { model } from "@medusajs/framework/utils"
import { REFUND_STATES } from "../refund-machine"

/**
 * One refund or reversal of a PaySys attempt, written before the call, keyed by Medusa's
 * refund id (or the reconciliation's own key). `booked_as` names the Medusa refund that records
 * it; whether that refund exists is read from Medusa (it may have been rolled back after the
 * provider answered). An accepted refund with none is used by the next refund of the same
 * amount instead of sending another. At most one may be in flight per attempt.
 */
const PaysysRefund = model
  .define("paysys_refund", {
    id: model.id({ prefix: "psref" }).primaryKey(),
    attempt_id: model.text(),
    partner_trans_id: model.text(),
    key: model.text(),
    kind: model.enum(["refund", "cancel"]),
    origin: model.enum(["medusa", "reconciliation", "external"]),
    /** minor units */
    amount: model.text(),
    currency: model.text(),
    state: model.enum([...REFUND_STATES]).default("sending"),
    /** PaySys's status of the payment when the call was sent: tells a lost answer's outcome */
    status_before: model.number().nullable(),
    /** the Medusa refund recording it, once the provider answered Medusa */
    booked_as: model.text().nullable(),
    error: model.json().nullable(),
  })
  .indexes([
    { name: "IDX_paysys_refund_key", on: ["key"], unique: true },
    { name: "IDX_paysys_refund_attempt_id", on: ["attempt_id"] },
    // the PaySys page's payments, by day
    { name: "IDX_paysys_refund_created_at", on: ["created_at"] },
    { name: "IDX_paysys_refund_in_doubt", on: ["updated_at"], where: "state = 'unknown'" },
    { name: "IDX_paysys_refund_in_flight", on: ["attempt_id"], unique: true, where: "state IN ('sending', 'unknown')" },
  ])

export default PaysysRefund
