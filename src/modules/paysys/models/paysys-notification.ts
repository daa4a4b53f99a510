import { model } from "@medusajs/framework/utils"

/**
 * A callback from PaySys, recorded before it is acknowledged. It is a hint: processing
 * confirms it with check_payment. Keeps no card data beyond the masked PAN, no token.
 */
const PaysysNotification = model
  .define("paysys_notification", {
    id: model.id({ prefix: "psnot" }).primaryKey(),
    kind: model.enum(["payment_status", "card_registration"]),
    /** what makes two deliveries the same notification */
    dedupe_key: model.text(),
    partner_trans_id: model.text().nullable(),
    transaction_id: model.text().nullable(),
    card_id: model.text().nullable(),
    /** what PaySys claimed: status (payment) or stat (card) */
    reported_status: model.text(),
    /** minor units */
    amount: model.text().nullable(),
    currency: model.text().nullable(),
    card_masked: model.text().nullable(),
    error_code: model.number().nullable(),
    error_message: model.text().nullable(),
    paysys_date: model.text().nullable(),
    deliveries: model.number().default(1),
    attempts: model.number().default(0),
    processed_at: model.dateTime().nullable(),
    /** what processing concluded, for the merchant and the admin widget */
    outcome: model.text().nullable(),
    last_error: model.text().nullable(),
    /** when processing is tried again after a failure (backoff) */
    next_attempt_at: model.dateTime().nullable(),
    /** failed too often: shown to the merchant, no longer retried, never blocks newer ones */
    parked_at: model.dateTime().nullable(),
    /** the admin user who last sent a parked notification back to processing, and when */
    retried_by: model.text().nullable(),
    retried_at: model.dateTime().nullable(),
  })
  .indexes([
    { name: "IDX_paysys_notification_dedupe_key", on: ["dedupe_key"], unique: true },
    { name: "IDX_paysys_notification_partner_trans_id", on: ["partner_trans_id"] },
    // the merchant's "Needs you" list
    {
      name: "IDX_paysys_notification_parked",
      on: ["parked_at"],
      where: "parked_at IS NOT NULL AND processed_at IS NULL",
    },
    {
      name: "IDX_paysys_notification_unprocessed",
      on: ["next_attempt_at"],
      where: "processed_at IS NULL AND parked_at IS NULL",
    },
  ])

export default PaysysNotification
