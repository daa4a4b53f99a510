import { model } from "@medusajs/framework/utils"
import { ATTEMPT_STATES } from "../attempt-machine"

/**
 * One PaySys payment attempt (prepare_payment or pay_by_id), written before PaySys is called.
 * This, not `payment_session.data` (which Medusa and the storefront delete and re-create), is
 * the record of what PaySys may hold. States move only on PaySys's answers (check_payment, or
 * a refusal PaySys gave); `next_check_at` is when reconciliation looks at it next, null once
 * nothing is left to do.
 */
const PaysysAttempt = model
  .define("paysys_attempt", {
    id: model.id({ prefix: "psatt" }).primaryKey(),
    partner_trans_id: model.text(),
    provider_id: model.text(),
    /** how it was paid: a card posted to our route, a saved card (pay_by_id), PaySys's hosted form */
    kind: model.enum(["card", "saved_card", "form"]),
    /** the payment session it pays for; re-pointed when a new session adopts a paid attempt */
    session_id: model.text(),
    payment_collection_id: model.text(),
    cart_id: model.text().nullable(),
    /** minor units */
    amount: model.text(),
    currency: model.text(),
    saved_card_id: model.text().nullable(),
    state: model.enum([...ATTEMPT_STATES]).default("sending"),
    paysys_status: model.number().nullable(),
    transaction_id: model.text().nullable(),
    /** the hosted form's AGR_TRANS_ID: PaySys's id of the payment in its merchant-API callbacks */
    agr_trans_id: model.text().nullable(),
    /** the hosted form's VENDOR_TRANS_ID: our integer id of the attempt, answered to Pay (VENDOR_TRANS_ID_MAX) */
    vendor_trans_id: model.autoincrement(),
    /** what the hosted form's callbacks said: PAYMENT_ID, PAYMENT_NAME, ENVIRONMENT, Notify statuses, the receipt sent */
    form: model.json().nullable(),
    /** the Medusa payment this attempt is the captured payment of */
    payment_id: model.text().nullable(),
    /** why it ended as it did, for the merchant */
    outcome: model.text().nullable(),
    /** the write call (prepare_payment, pay_by_id) went out: never sent again */
    sent_at: model.dateTime().nullable(),
    /** when the attempt was first seen paid: the reversal grace period counts from it */
    paid_at: model.dateTime().nullable(),
    /**
     * set when a cart completion takes this paid attempt as its payment; a reversal starts only
     * on an unclaimed attempt (one atomic update each, so never both)
     */
    claimed_at: model.dateTime().nullable(),
    next_check_at: model.dateTime().nullable(),
    /** when PaySys's status API last contradicted a form's Cancel or Notify 3; null once the merchant checked the cabinet */
    contradicted_at: model.dateTime().nullable(),
    checks: model.number().default(0),
    last_error: model.text().nullable(),
    /** what PaySys answered last (bank data: RRN, approval code, masked card, error) */
    bank: model.json().nullable(),
    /** every answer and decision, oldest first */
    history: model.json().nullable(),
  })
  .indexes([
    { name: "IDX_paysys_attempt_partner_trans_id", on: ["partner_trans_id"], unique: true },
    { name: "IDX_paysys_attempt_session_id", on: ["session_id"] },
    // a claim looks for the cart's other claimed attempts (PaymentLedger.rivalOf)
    { name: "IDX_paysys_attempt_claimed", on: ["payment_collection_id"], where: "claimed_at IS NOT NULL" },
    { name: "IDX_paysys_attempt_payment_id", on: ["payment_id"], where: "payment_id IS NOT NULL" },
    { name: "IDX_paysys_attempt_agr_trans_id", on: ["agr_trans_id"], unique: true, where: "agr_trans_id IS NOT NULL" },
    { name: "IDX_paysys_attempt_due", on: ["next_check_at"], where: "next_check_at IS NOT NULL" },
    // reconciliation takes attempts that may hold money first, then first looks (PaymentLedger's DUE_TIERS)
    {
      name: "IDX_paysys_attempt_due_holding_money",
      on: ["next_check_at"],
      where: "next_check_at IS NOT NULL AND state NOT IN ('sending', 'open')",
    },
    // the merchant's "Needs you" list: attempts parked for them, refunds PaySys made that no one recorded
    {
      name: "IDX_paysys_attempt_needs_merchant",
      on: ["updated_at"],
      where: "(state = 'attention' OR outcome = 'refund_unexplained')",
    },
    // "Needs you": cancellations PaySys's status contradicted, until the merchant checked them
    { name: "IDX_paysys_attempt_cancel_contradicted", on: ["contradicted_at"], where: "contradicted_at IS NOT NULL" },
    // the PaySys page's payments, by day
    { name: "IDX_paysys_attempt_created_at", on: ["created_at"] },
    {
      name: "IDX_paysys_attempt_due_first_look",
      on: ["next_check_at"],
      where: "next_check_at IS NOT NULL AND state IN ('sending', 'open') AND checks = 0",
    },
  ])

export default PaysysAttempt
